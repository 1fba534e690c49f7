// Langfuse-compatible: GET /api/public/v2/prompts/{name}?label=&version=&resolve= (label = environment, default production) and DELETE (archives).
import { langfuseDeleteQuery, langfuseGetQuery } from "@/lib/runtime/langfuse";
import { readLangfusePrompt } from "@/lib/runtime/langfuse-service";
import { deleteLangfusePrompt } from "@/lib/runtime/langfuse-writes";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";
import { getEvents } from "@/lib/server/wiring/events";

export const GET = withApiKey(
  "runtime",
  { query: langfuseGetQuery, action: "runtime.resolve" },
  async ({ db, project, params, query, environments }) =>
    json(await readLangfusePrompt(db, project.id, params.name!, query, environments)),
);

export const DELETE = withApiKey(
  "admin",
  { query: langfuseDeleteQuery, action: "prompt.delete" },
  async ({ db, actor, project, params, query }) => {
    await deleteLangfusePrompt({ db, actor, projectId: project.id, events: await getEvents() }, params.name!, query);
    return new Response(null, { status: 204 });
  },
);

export const { POST, PUT, PATCH } = otherMethods("GET", "DELETE");
