// POST /api/v1/optimizations {prompt, version, dataset, scorers?, budget: {calls, costUsd}, connection?, environment?, heldOutShare?, seed?}
// → 202 {optimization: {id, status}}. Admin key; the role and scope of starting an evaluation run.
import { createOptimization, parseCreateOptimizationInput } from "@/lib/optimization";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";
import { enqueueOptimization } from "@/lib/server/wiring/optimization";

// The action is checked before the body, as createOptimization does (403 before 422).
export const POST = withApiKey(
  "admin",
  { body: parseCreateOptimizationInput, action: "evaluation.run" },
  async ({ db, actor, project, body }) => {
    const row = await createOptimization({ db, actor, projectId: project.id }, body, enqueueOptimization);
    return json({ optimization: { id: row.id, status: row.status } }, 202);
  },
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
