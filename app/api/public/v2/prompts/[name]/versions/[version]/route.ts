// Langfuse-compatible: PATCH /api/public/v2/prompts/{name}/versions/{version} {newLabels}: labels (environments) move to this version.
import { langfusePatchBody } from "@/lib/runtime/langfuse";
import { updateLangfuseLabels } from "@/lib/runtime/langfuse-writes";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";
import { getEvents } from "@/lib/server/wiring/events";
import { versionParam } from "@/lib/server/http/prompt-api";
import { parseInput } from "@/lib/validation";

export const PATCH = withApiKey(
  "admin",
  { body: langfusePatchBody, action: "version.create" },
  async ({ db, actor, project, params, body }) => {
    const version = parseInput(versionParam, params.version, "version");
    const ctx = { db, actor, projectId: project.id, events: await getEvents() };
    return json(await updateLangfuseLabels(ctx, params.name!, version, body.newLabels));
  },
);

export const { GET, POST, PUT, DELETE } = otherMethods("PATCH");
