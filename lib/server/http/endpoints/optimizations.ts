// The endpoints of prompt optimizations (lib/optimization): one declaration each (../endpoint.ts), read by the
// route and by the OpenAPI document.
import "server-only";
import {
  cancelOptimizationInput,
  createdOptimizationResponse,
  createOptimizationInput,
  optimizationSchema,
  parseCancelOptimizationInput,
  parseCreateOptimizationInput,
} from "@/lib/optimization";
import { endpoint } from "../endpoint";
import { idParams } from "../path-params";

export const createOptimization = endpoint({
  method: "POST",
  path: "/api/v1/optimizations",
  summary:
    "Start a prompt optimization of a version on a dataset (split, seeded, into train and held-out) with the gate's scorers (or those given), under a budget of model calls and cost (at most LECTERN_OPTIMIZATION_MAX_CALLS and _MAX_COST_USD) → 202 {optimization: {id, status: queued}}; 429 rate_limited past LECTERN_OPTIMIZATIONS_ACTIVE_PER_PROJECT queued or running; a job searches with GEPA (Ax), taking turns with other projects', and ends in a draft carrying the held-out comparison when the draft is significantly better (outcome improved), else with outcome no_improvement and no draft — never a version or a deployment",
  scope: "admin",
  // Checked before the body, as createOptimization does (403 before 422).
  permission: "evaluation.run",
  body: parseCreateOptimizationInput,
  bodySchema: createOptimizationInput,
  status: 202,
  response: createdOptimizationResponse,
});

export const getOptimization = endpoint({
  method: "GET",
  path: "/api/v1/optimizations/{id}",
  params: idParams("optimization"),
  summary:
    "An optimization: status (queued, running, completed, budget_exhausted, failed, cancelled), outcome once completed (improved: a draft; no_improvement: no draft, and noImprovement says why), calls and costUsd spent, split {train, heldOut, seed}, candidates tried with their train scores, best, draft {id, name} and comparison (paired statistics on the held-out split: items, overall, scorers, verdict) once made, searchStoppedBy, budgetNotice, error, cancelled {by, reason}",
  scope: "admin",
  permission: "evaluation.read",
  response: optimizationSchema,
});

export const cancelOptimization = endpoint({
  method: "POST",
  path: "/api/v1/optimizations/{id}/cancel",
  params: idParams("optimization"),
  summary:
    "Cancel a queued or running optimization {reason?} → 200 with status cancelled: its model calls in flight are aborted, what was spent stays counted, no draft is made (409 once it has ended)",
  scope: "admin",
  // Checked before the body, as cancelOptimization does (403 before 422).
  permission: "evaluation.run",
  body: parseCancelOptimizationInput,
  bodySchema: cancelOptimizationInput,
  response: optimizationSchema,
});
