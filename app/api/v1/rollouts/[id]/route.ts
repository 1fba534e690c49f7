// GET /api/v1/rollouts/{id}: a guarded rollout — status, step, percent, steps, decisions — and, while it runs,
// what each guardrail reads at this step. Admin key.
import { readRollout } from "@/lib/experiments/rollout-reads";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

export const GET = withApiKey("admin", { action: "prompt.read" }, async ({ db, project, params }) =>
  json({ rollout: await readRollout(db, project.id, params.id!) }),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
