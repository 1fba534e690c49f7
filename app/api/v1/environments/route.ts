// GET /api/v1/environments and POST (add one). Admin key.
import { createEnvironment, environmentDto, environmentInput, listEnvironments } from "@/lib/release/environments";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";

export const GET = withApiKey("admin", { action: "prompt.read" }, async ({ db, project }) =>
  json({ data: await Promise.all((await listEnvironments(db, project.id)).map((e) => environmentDto(db, e))) }),
);

export const POST = withApiKey("admin", { body: environmentInput }, async ({ db, actor, project, body }) =>
  json(await environmentDto(db, await createEnvironment({ db, actor, projectId: project.id }, body)), 201),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
