import { listPromptLayerTemplates } from "@/lib/compat/promptlayer/list";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/promptlayer";
import { plReadDeps } from "@/lib/server/http/promptlayer-route";

export const GET = route(endpoints.promptLayerListTemplates, async (ctx) =>
  json(await listPromptLayerTemplates(await plReadDeps(ctx), ctx.query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
