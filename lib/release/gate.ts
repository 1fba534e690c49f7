// The evaluation gate on promotion (issue 11). An environment with a gate {dataset, minScore, maxDrop}
// accepts a version only when
//   - the version has a completed evaluation run on the gate's dataset at the dataset's CURRENT version
//     (the latest such run counts: a re-run replaces an older result, better or worse), and
//   - that run's score is at least minScore, and
//   - its score is at most maxDrop below the live version's latest completed run on the same dataset
//     version. When the live version has no such run (or nothing is live, or it is the same version)
//     there is no baseline and only minScore applies; the details say so (baseline: null).
// Reading the current dataset version means editing the dataset invalidates old results: a gate is
// only ever passed on the items it names now.
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { datasets, deployments, evalRuns } from "../../db/schema";
import { AppError } from "../errors";
import type { EnvironmentRow } from "./environments";

export interface GateBaseline {
  version: number;
  run: string;
  score: number | null;
}

export interface GateVerdict {
  passed: boolean;
  environment: string;
  dataset: string;
  datasetVersion: number;
  run: string | null;
  score: number | null;
  minScore: number;
  maxDrop: number;
  baseline: GateBaseline | null;
  drop: number | null;
  reason: string;
}

const EPS = 1e-9;

async function latestCompletedRun(
  db: Db,
  promptId: string,
  version: number,
  datasetId: string,
  datasetVersion: number,
) {
  const [run] = await db
    .select({ id: evalRuns.id, score: evalRuns.score })
    .from(evalRuns)
    .where(
      and(
        eq(evalRuns.promptId, promptId),
        eq(evalRuns.version, version),
        eq(evalRuns.datasetId, datasetId),
        eq(evalRuns.datasetVersion, datasetVersion),
        eq(evalRuns.status, "completed"),
      ),
    )
    .orderBy(desc(evalRuns.finishedAt), desc(evalRuns.createdAt))
    .limit(1);
  return run;
}

/** Evaluates an environment's gate for a version; null when the environment has no gate. */
export async function evaluateGate(
  db: Db,
  promptId: string,
  env: EnvironmentRow,
  version: number,
): Promise<GateVerdict | null> {
  if (!env.gateDatasetId || env.gateMinScore === null || env.gateMaxDrop === null) return null;
  const minScore = env.gateMinScore;
  const maxDrop = env.gateMaxDrop;
  const [ds] = await db
    .select({ name: datasets.name, currentVersion: datasets.currentVersion })
    .from(datasets)
    .where(eq(datasets.id, env.gateDatasetId));
  const base = {
    environment: env.name,
    dataset: ds?.name ?? env.gateDatasetId,
    datasetVersion: ds?.currentVersion ?? 0,
    minScore,
    maxDrop,
  };
  const run = ds ? await latestCompletedRun(db, promptId, version, env.gateDatasetId, ds.currentVersion) : undefined;
  if (!run)
    return {
      ...base,
      passed: false,
      run: null,
      score: null,
      baseline: null,
      drop: null,
      reason: `version ${version} has no completed evaluation run on dataset ${base.dataset} (version ${base.datasetVersion})`,
    };
  const [live] = await db
    .select({ version: deployments.version })
    .from(deployments)
    .where(and(eq(deployments.promptId, promptId), eq(deployments.environmentId, env.id)))
    .orderBy(desc(deployments.id))
    .limit(1);
  let baseline: GateBaseline | null = null;
  if (live && live.version !== version) {
    const b = await latestCompletedRun(db, promptId, live.version, env.gateDatasetId, base.datasetVersion);
    if (b) baseline = { version: live.version, run: b.id, score: b.score };
  }
  const score = run.score;
  const drop = baseline?.score != null && score !== null ? baseline.score - score : null;
  let reason: string;
  let passed = false;
  if (score === null) reason = `run ${run.id} has no score (no scorer could judge any item)`;
  else if (score + EPS < minScore) reason = `run ${run.id} scored ${score.toFixed(3)}, below the minimum ${minScore}`;
  else if (drop !== null && drop > maxDrop + EPS)
    reason = `run ${run.id} scored ${score.toFixed(3)}, ${drop.toFixed(3)} below live version ${baseline!.version} (${baseline!.score!.toFixed(3)}); the maximum drop is ${maxDrop}`;
  else {
    passed = true;
    reason = baseline
      ? `run ${run.id} scored ${score.toFixed(3)} (live version ${baseline.version}: ${baseline.score?.toFixed(3) ?? "no score"})`
      : `run ${run.id} scored ${score.toFixed(3)}; no baseline run of the live version`;
  }
  return { ...base, passed, run: run.id, score, baseline, drop, reason };
}

/** Throws AppError gate_failed (409) when the environment's gate refuses the version. */
export async function assertGate(
  db: Db,
  promptId: string,
  env: EnvironmentRow,
  version: number,
): Promise<GateVerdict | null> {
  const verdict = await evaluateGate(db, promptId, env, version);
  if (verdict && !verdict.passed) {
    const { passed: _passed, ...details } = verdict;
    throw new AppError("gate_failed", `${env.name} has an evaluation gate: ${verdict.reason}.`, {
      rule: "evaluationGate",
      version,
      ...details,
    });
  }
  return verdict;
}
