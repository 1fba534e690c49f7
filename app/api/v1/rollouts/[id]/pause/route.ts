// POST /api/v1/rollouts/{id}/pause {reason}: holds the share where it is; the job takes no decision until resumed. Audited with the reason. Admin key.
import { actOnRollout, rolloutActionInput } from "@/lib/experiments/rollout-control";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";
import { getEvents } from "@/lib/server/wiring/events";

export const POST = withApiKey("admin", { body: rolloutActionInput }, async ({ db, actor, project, params, body }) => {
  const ctx = { db, actor, projectId: project.id, events: await getEvents() };
  return json({ rollout: await actOnRollout(ctx, params.id!, "pause", body) });
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
