// API for the UI (lib/evaluation/runs). Reads take the database; writes a DomainContext ({db, actor, projectId}).
//   createRun(ctx, {prompt, version, dataset, datasetVersion?, scorers?, repetitions?, concurrency?, connection?}, enqueue?) → EvalRunRow (status queued)
//     enqueue: lib/server passes enqueueWith(jobs); the job (evalRunJob) does the work.
//   getRun(db, projectId, id) → RunDto {status, progress: {done, total}, score, passRate, scores: {<scorer>: mean}, summary, costUsd, tokens, …}
//   listRuns(db, projectId, {prompt?, version?, dataset?, status?, limit?, offset?}) → RunDto[]
//   listRunItems(db, projectId, id, {offset?, limit?, failed?}) → {total, items: [{input, expected, output, score, passed, scores (each scorer's score and reason), latencyMs, tokens, costUsd, error}]}
//   compareRuns(db, projectId, {a, b, regressions?, offset?, limit?}) → {a, b, delta, regressions, improvements, items: [{input, expected, a, b, delta, regression}]}
//   cancelRun(ctx, id) → RunDto; versionScores(db, promptId) → latest completed run per version and dataset
//   runGateRuns(ctx, {dataset?, environment?}, enqueue?, limits?) → {started, failed}: the gate runs versions need ("Run them")
//   Gates and auto-promote are release rules: lib/release/plan.ts and lib/release/auto-promote.ts.
export * from "./create";
export * from "./reads";
export { executeRun, failRun, RunInterrupted, type ExecuteOutcome, type ModelResolver, type RunDeps } from "./execute";
export { enqueueWith, evalRunJob, evalRunJobRef } from "./job";
export { compareInput, compareRuns, regressionEpsilon } from "./compare";
export { versionScores, type VersionScore } from "./version-scores";
export { recordRun } from "./record";
export { runGateRuns, type GateRunsResult } from "./gate-runs";
