// POST /api/v1/rollouts/{id}/resume {reason}: lets the job decide again. Audited with the reason. Admin key.
import { actOnRollout, rolloutActionInput } from "@/lib/experiments/rollout-control";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";
import { getEvents } from "@/lib/server/wiring/events";

export const POST = withApiKey("admin", { body: rolloutActionInput }, async ({ db, actor, project, params, body }) => {
  const ctx = { db, actor, projectId: project.id, events: await getEvents() };
  return json({ rollout: await actOnRollout(ctx, params.id!, "resume", body) });
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
