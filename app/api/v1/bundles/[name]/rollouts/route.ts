// GET /api/v1/bundles/{name}/rollouts?environment=: the bundle's guarded rollouts, newest first.
// POST {environment, versions, steps?, guardrails?, margin?, reason?}: starts one over every member the versions
// change, which move as one (409 plan_unmet with each member's plan while any is blocked; 409 conflict beside an
// experiment or rollout on a member, or when nothing changes). Moves: POST /api/v1/rollouts/{member}/… Admin key.
import { createBundleRollout, createBundleRolloutInput, listBundleRollouts } from "@/lib/experiments/bundle-rollouts";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";
import { dependentsQuery } from "@/lib/server/http/prompt-api";
import { getEvents } from "@/lib/server/wiring/events";

export const GET = withApiKey(
  "admin",
  { query: dependentsQuery, action: "prompt.read" },
  async ({ db, project, params, query }) =>
    json({ rollouts: await listBundleRollouts(db, project.id, params.name!, query.environment) }),
);

export const POST = withApiKey(
  "admin",
  { body: createBundleRolloutInput },
  async ({ db, actor, project, params, body }) => {
    const rollout = await createBundleRollout(
      { db, actor, projectId: project.id, events: await getEvents() },
      params.name!,
      body,
    );
    return json({ rollout }, 201);
  },
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
