// GET /api/v1/bundles/{name}/rollouts?environment=: the bundle's guarded rollouts, newest first.
// POST {environment, versions, steps?, guardrails?, margin?, reason?}: starts one over every member the versions
// change, which move as one (409 plan_unmet with each member's plan while any is blocked; 409 conflict beside an
// experiment or rollout on a member, or when nothing changes). Moves: POST /api/v1/rollouts/{member}/… Admin key.
import { createBundleRollout, listBundleRollouts } from "@/lib/experiments/bundle-rollouts";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/bundles";

export const GET = route(endpoints.listBundleRollouts, async ({ db, project, params, query }) =>
  json({ rollouts: await listBundleRollouts(db, project.id, params.name, query.environment) }),
);

export const POST = route(endpoints.createBundleRollout, async ({ domain, params, body }) =>
  json({ rollout: await createBundleRollout(domain, params.name, body) }, 201),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
