// Prompt optimization (issue 44, item 3). Entry points:
//   createOptimization(ctx, {prompt, version, dataset, scorers?, budget: {calls, costUsd}}, enqueue?) → row (queued)
//   getOptimization(db, projectId, id) / listOptimizations(db, projectId, promptId) → OptimizationDto
//   optimizationJob(deps) / optimizationJobRef / enqueueOptimizationWith(jobs): the job (execute.ts)
// The rule: the result is a draft, never a version or a deployment (README.md).
export {
  createdOptimizationResponse,
  createOptimization,
  getOptimization,
  listOptimizations,
  optimizationDto,
  optimizationSchema,
  type EnqueueOptimization,
  type OptimizationDto,
  type OptimizationRow,
} from "./create";
export { createOptimizationInput, parseCreateOptimizationInput, type CreateOptimizationInput } from "./input";
export { executeOptimization, failOptimization, METHOD, type OptimizationDeps } from "./execute";
export { enqueueOptimizationWith, optimizationJob, optimizationJobRef } from "./job";
