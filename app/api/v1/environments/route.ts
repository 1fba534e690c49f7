// GET /api/v1/environments and POST (add one). Admin key.
import { createEnvironment, environmentDto, environmentInput, environmentList } from "@/lib/release/environments";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";

export const GET = withApiKey("admin", { action: "prompt.read" }, async ({ db, project }) =>
  json(await environmentList(db, project.id)),
);

export const POST = withApiKey("admin", { body: environmentInput }, async ({ db, actor, project, body }) =>
  json(await environmentDto(db, await createEnvironment({ db, actor, projectId: project.id }, body)), 201),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
