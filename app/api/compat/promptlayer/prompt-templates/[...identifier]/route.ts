// PromptLayer's JS client puts a prompt's name into the path unencoded: `support/reply` arrives as two
// segments, which this catch-all joins back (`support%2Freply`, as the Python client sends it, is one).
import { readPromptLayerTemplate } from "@/lib/compat/promptlayer/reads";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/promptlayer";
import { plReadDeps } from "@/lib/server/http/promptlayer-route";

export const POST = route(endpoints.promptLayerGetTemplate, async (ctx) =>
  json(await readPromptLayerTemplate(await plReadDeps(ctx), ctx.params.identifier, ctx.body)),
);

export const GET = route(endpoints.promptLayerGetRawTemplate, async (ctx) => {
  const { version, label, include_llm_kwargs } = ctx.query;
  const answer = await readPromptLayerTemplate(await plReadDeps(ctx), ctx.params.identifier, { version, label });
  return json(include_llm_kwargs === "true" ? answer : { ...answer, llm_kwargs: null });
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
