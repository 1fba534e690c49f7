// Evaluation runs, as their callers use them (app routes and actions, lib/server, lib/views, tests).
// Reads take the database; writes a DomainContext ({db, actor, projectId}). Starting a run also takes a
// RunStart {enqueue, limits}, both required: lib/server builds it once (wiring/evaluation-wiring.ts, runStart).
//   parseCreateRunInput(unknown) → CreateRunInput: the one parser of a run's input (422 naming the field)
//   createEvalRun(ctx, CreateRunInput, start) → EvalRunRow (status queued, its job sent)
//   runGateRuns(ctx, {dataset?, environment?}, start) → {started, failed}: the gate runs versions need ("Run them")
//   recordRun(ctx, input, output, {models?}) → a completed run scored from given outputs (the demo)
//   cancelEvalRun(ctx, id) → RunDto
//   getEvalRun(db, projectId, id) → RunDto {status, progress, score, scores, summary, statistics, costUsd, tokens, …}
//   listEvalRuns(db, projectId, {prompt?, version?, dataset?, status?, limit?, offset?}) → RunDto[]
//   listEvalRunItems(db, projectId, id, {offset?, limit?, failed?}, {previewChars?}) → {run, total, offset, limit, items}
//   runItemOutput(db, projectId, runId, itemId, repetition) → one whole output
//   compareEvalRuns(db, projectId, {a, b, regressions?, offset?, limit?}) → the paired comparison (compareContract)
//   versionScores(db, promptId) → the latest completed run per version and dataset
//   The job: evalRunJob(deps) binds the handler of evalRunJobRef, enqueueWith(jobs) sends it, executeRun is
//   its work (called directly by tests and by lib/server when no queue runs), evalRunSweep() sends again
//   the job of a run left queued without one.
//   The JSON answers: runSchema, runListResponse, runQueuedResponse, runItemsResponse (responses.ts).
// form-data.ts (the new-run form) and run-labels.ts (judge agreement) are imported directly by their pages.
// Gates and auto-promote are release rules: lib/release/plan/plan.ts and lib/release/gates/auto-promote.ts.
export { cancelEvalRun } from "./cancel";
export {
  createEvalRun,
  createRunInput,
  parseCreateRunInput,
  type CreateRunInput,
  type CreateRunRequest,
  type EnqueueRun,
  type EvalRunRow,
  type RunLimits,
  type RunStart,
} from "./create";
export {
  getEvalRun,
  listEvalRunItems,
  listRunItemsInput,
  listEvalRuns,
  listRunsInput,
  runItemOutput,
  type RunDto,
} from "./reads";
export { queuedRunDto, runItemsResponse, runListResponse, runQueuedResponse, runSchema } from "./responses";
export { executeRun, type ModelResolver, type RunDeps } from "./execute";
export { DEFER_SECONDS, enqueueWith, evalRunJob, evalRunJobRef } from "./job";
export { evalRunSweep, requeueStrandedRuns } from "./sweep";
export { compareInput, compareEvalRuns } from "./compare-runs";
export { versionScores } from "./version-scores";
export { recordRun } from "./record-run";
export { runSubject } from "./subject";
export { runGateRuns } from "./gate-runs";
