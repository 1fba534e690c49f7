// Langfuse-compatible: GET /api/public/v2/prompts (list) and POST (create a prompt or a new version). HTTP Basic: public id + Lectern key.
import { langfuseCreateBody, langfuseListQuery } from "@/lib/runtime/langfuse";
import { listLangfusePrompts } from "@/lib/runtime/langfuse-service";
import { createLangfusePrompt } from "@/lib/runtime/langfuse-writes";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";
import { getEvents } from "@/lib/server/wiring/events";

export const GET = withApiKey(
  "runtime",
  { query: langfuseListQuery, action: "runtime.resolve" },
  // A key limited to some environments lists only what it may read (versions live there, their labels).
  async ({ db, project, query, environments }) => json(await listLangfusePrompts(db, project.id, query, environments)),
);

export const POST = withApiKey(
  "admin",
  { body: langfuseCreateBody, action: "version.create" },
  async ({ db, actor, project, body }) =>
    json(await createLangfusePrompt({ db, actor, projectId: project.id, events: await getEvents() }, body), 201),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
