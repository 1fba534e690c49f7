// POST /api/v1/prompts/{name}/rollback {environment, version?, reason?}: default target is the previously live version. Admin key.
import { rollback, rollbackInput } from "@/lib/release/rollback";
import { deploymentDto } from "@/lib/release/dto";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";
import { getEvents } from "@/lib/server/wiring/events";

export const POST = withApiKey("admin", { body: rollbackInput }, async ({ db, actor, project, params, body }) => {
  const d = await rollback({ db, actor, projectId: project.id, events: await getEvents() }, params.name!, body);
  return json(deploymentDto(d, body.environment), 201);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
