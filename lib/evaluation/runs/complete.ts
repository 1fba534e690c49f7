// What every way of finishing a run shares (the job, recorded runs): the summary stored with it, with
// the run's statistics, and the audit entry that is the evaluation.completed webhook's outbox row.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../../db/client";
import { recordAudit } from "../../audit/record";
import {
  aggregateScores,
  runStatistics,
  unscoredScorers,
  type ScorerOutcome,
  type StoredRunSummary,
} from "../../scorers";
import type { EvalRunRow } from "./create";

/** The stored summary of a run's units (item × repetition): scores per scorer and tag, and the statistics. */
export function storedSummary(
  units: readonly { itemId: string; repetition: number; tags: string[]; results: ScorerOutcome[] }[],
): StoredRunSummary {
  return {
    ...aggregateScores(units.map((u) => ({ id: `${u.itemId}:${u.repetition}`, tags: u.tags, results: u.results }))),
    statistics: runStatistics(units),
  };
}

/**
 * How a run whose units all ran ends, from its summary: "completed", or "unscored" when a weighted scorer scored no
 * answer (a judge that failed every time): no verdict, with why. Its score is kept either way, errors counted as
 * failures; gates and promotion read completed runs only.
 */
export function runOutcome(summary: StoredRunSummary): { status: "completed" | "unscored"; error: string | null } {
  const unscored = unscoredScorers(summary);
  if (!unscored.length) return { status: "completed", error: null };
  return {
    status: "unscored",
    error: unscored
      .map((u) => `${u.name} could not score any answer: ${u.reason}`)
      .join("; ")
      .slice(0, 2000),
  };
}

/** Audits a finished run as `evaluation.complete` (the evaluation.completed webhook's data is `after`). */
export async function auditCompletion(db: Db, run: EvalRunRow): Promise<void> {
  const [names] = await queryRows<{ prompt: string; dataset: string }>(
    db,
    sql`select (select name from prompts where id = ${run.promptId}) as prompt, (select name from datasets where id = ${run.datasetId}) as dataset`,
  );
  await recordAudit(db, {
    projectId: run.projectId,
    actor: { type: "system", label: "evaluation" },
    action: "evaluation.complete",
    objectType: "eval_run",
    objectId: run.id,
    after: {
      runId: run.id,
      prompt: names?.prompt,
      version: run.version,
      dataset: names?.dataset,
      datasetVersion: run.datasetVersion,
      status: run.status,
      score: run.score,
      passRate: run.passRate,
      costUsd: run.costUsd,
      error: run.error,
    },
  });
}
