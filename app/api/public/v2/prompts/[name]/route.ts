// Langfuse-compatible: GET /api/public/v2/prompts/{name}?label=&version=&resolve= (label = environment, default production) and DELETE (archives).
import { langfuseDeleteQuery, langfuseGetQuery } from "@/lib/runtime/langfuse";
import { getLangfusePrompt } from "@/lib/runtime/langfuse-service";
import { deleteLangfusePrompt } from "@/lib/runtime/langfuse-writes";
import { assertKeyMayRead } from "@/lib/runtime/key-limits";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";
import { getEvents } from "@/lib/server/wiring/events";

export const GET = withApiKey(
  "runtime",
  { query: langfuseGetQuery, action: "runtime.resolve" },
  async ({ db, project, params, query, environments }) => {
    const pinned = query.version !== undefined || query.label === "latest";
    await assertKeyMayRead(db, project.id, environments, {
      name: params.name!,
      environment: pinned ? undefined : (query.label ?? "production"),
      version: query.version,
      latest: query.version === undefined && query.label === "latest",
    });
    return json(await getLangfusePrompt(db, project.id, params.name!, query, environments));
  },
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
