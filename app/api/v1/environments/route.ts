// GET /api/v1/environments and POST (add one). Admin key.
import { createEnvironment, environmentInput, listEnvironments } from "@/lib/release/environments";
import { json, withApiKey, otherMethods } from "@/lib/server/api";

const dto = (e: Awaited<ReturnType<typeof listEnvironments>>[number]) => ({
  name: e.name,
  position: e.position,
  protected: e.protected,
  requiresReview: e.requiresReview,
  requiresLiveIn: e.requiresLiveIn,
  minEvalScore: e.minEvalScore,
});

export const GET = withApiKey("admin", { action: "prompt.read" }, async ({ db, project }) => json({ data: (await listEnvironments(db, project.id)).map(dto) }));

export const POST = withApiKey("admin", { body: environmentInput }, async ({ db, actor, project, body }) =>
  json(dto(await createEnvironment({ db, actor, projectId: project.id }, body)), 201),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
