// GET /api/v1/rollouts/{id}: a guarded rollout — status, step, percent, steps, decisions — and, while it runs,
// what each guardrail reads at this step. Admin key.
import { readRollout } from "@/lib/experiments/rollout-reads";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/release";

export const GET = route(endpoints.getRollout, async ({ db, project, params }) =>
  json({ rollout: await readRollout(db, project.id, params.id) }),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
