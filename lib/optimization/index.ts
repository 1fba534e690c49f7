// Prompt optimization (its queue bounded: docs/decisions/bounded-work.md). Entry points:
//   createOptimization(ctx, {prompt, version, dataset, scorers?, budget: {calls, costUsd}}, start) → row (queued)
//   cancelOptimization(ctx, id, {reason?}) → OptimizationDto (cancelled)
//   getOptimization(db, projectId, id) / listOptimizations(db, projectId, promptId) → OptimizationDto
//   optimizationJob(deps) / optimizationJobRef / enqueueOptimizationWith(jobs): the job (execute.ts, claim.ts)
//   optimizationSweep(): the cron that sends a stranded optimization's job again
// The rule: the result is a draft, never a version or a deployment (README.md), and only when it is better.
export {
  createOptimization,
  type EnqueueOptimization,
  type OptimizationLimits,
  type OptimizationStart,
} from "./create";
export {
  createdOptimizationDto,
  createdOptimizationResponse,
  getOptimization,
  isFinished,
  listOptimizations,
  optimizationDto,
  optimizationSchema,
  type OptimizationDto,
  type OptimizationRow,
} from "./reads";
export {
  cancelOptimization,
  cancelOptimizationInput,
  parseCancelOptimizationInput,
  type CancelOptimizationInput,
} from "./cancel";
export {
  createOptimizationInput,
  parseCreateOptimizationInput,
  type CreateOptimizationInput,
} from "./optimization-input";
export { executeOptimization, failOptimization, METHOD, type OptimizationDeps } from "./execute";
export { DEFER_SECONDS, enqueueOptimizationWith, optimizationJob, optimizationJobRef } from "./job";
export { optimizationSweep, requeueStrandedOptimizations, strandedOptimizations } from "./sweep";
