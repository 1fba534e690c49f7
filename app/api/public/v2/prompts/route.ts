import { listLangfusePrompts } from "@/lib/langfuse/reads";
import { createLangfusePrompt } from "@/lib/langfuse/writes";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/langfuse";

// A key limited to some environments lists only what it may read (versions live there, their labels).
export const GET = route(endpoints.langfuseListPrompts, async ({ db, project, query, environments }) =>
  json(await listLangfusePrompts(db, project.id, query, environments)),
);

export const POST = route(endpoints.langfuseCreatePrompt, async ({ domain, body }) =>
  json(await createLangfusePrompt(domain, body), 201),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
