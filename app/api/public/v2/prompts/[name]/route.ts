import { readLangfusePrompt } from "@/lib/langfuse/reads";
import { deleteLangfusePrompt } from "@/lib/langfuse/writes";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/langfuse";

export const GET = route(endpoints.langfuseGetPrompt, async ({ db, project, params, query, environments }) =>
  json(await readLangfusePrompt(db, project.id, params.name, query, environments)),
);

export const DELETE = route(endpoints.langfuseDeletePrompt, async ({ domain, params, query }) => {
  await deleteLangfusePrompt(domain, params.name, query);
  return new Response(null, { status: 204 });
});

export const { POST, PUT, PATCH } = otherMethods("GET", "DELETE");
