// GET /api/v1/prompts/{name}/rollouts?environment=: the prompt's guarded rollouts, newest first.
// POST {environment, version, steps?, guardrails?, margin?, reason?}: starts one (409 plan_unmet while the release
// plan is not met; 409 conflict beside an experiment or another rollout). Admin key.
import { createRollout, createRolloutInput } from "@/lib/experiments/rollouts";
import { listRollouts } from "@/lib/experiments/rollout-reads";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";
import { dependentsQuery } from "@/lib/server/http/prompt-api";
import { getEvents } from "@/lib/server/wiring/events";

export const GET = withApiKey(
  "admin",
  { query: dependentsQuery, action: "prompt.read" },
  async ({ db, project, params, query }) =>
    json({ rollouts: await listRollouts(db, project.id, params.name!, query.environment) }),
);

export const POST = withApiKey("admin", { body: createRolloutInput }, async ({ db, actor, project, params, body }) => {
  const rollout = await createRollout(
    { db, actor, projectId: project.id, events: await getEvents() },
    params.name!,
    body,
  );
  return json({ rollout }, 201);
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
