// POST /api/v1/optimizations {prompt, version, dataset, scorers?, budget: {calls, costUsd}, connection?, environment?, heldOutShare?, seed?}
// → 202 {optimization: {id, status}}; 429 past the project's limit. Admin key; the role and scope of starting an evaluation run.
import { createOptimization } from "@/lib/optimization";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/optimizations";
import { optimizationStart } from "@/lib/server/wiring/optimization";

export const POST = route(endpoints.createOptimization, async ({ domain, body }) => {
  const row = await createOptimization(domain, body, optimizationStart());
  return json({ optimization: { id: row.id, status: row.status } }, 202);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
