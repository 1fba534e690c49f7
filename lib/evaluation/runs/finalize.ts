// A run whose every unit is written: its summary is aggregated from the stored rows (a resumed run
// includes earlier executions), and its outcome and audit entry commit together, so the
// evaluation.completed webhook exists exactly when the run finished. A run completes when at least one
// unit ran (its results are worth reading, and its summary counts the errored items); an answer a scorer
// could not score counts as a failure in its score, and a run where a weighted scorer scored no answer is
// "unscored" (no verdict). A gate does not count a run with failed items as evidence
// (lib/release/gates/gate-evidence.ts).
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { evalRunItems, evalRuns } from "../../../db/schema";
import { auditCompletion, runOutcome, storedSummary } from "./complete";
import type { EvalRunRow } from "./create";

/** Completes (or, when every unit failed, fails) a running run; undefined when another execution did first. */
export async function finalizeRun(db: Db, runId: string): Promise<EvalRunRow | undefined> {
  const rows = await db
    .select({
      itemId: evalRunItems.itemId,
      repetition: evalRunItems.repetition,
      scores: evalRunItems.scores,
      error: evalRunItems.error,
      tags: sql<string[]>`(select tags from dataset_items d where d.id = ${evalRunItems.itemId})`,
    })
    .from(evalRunItems)
    .where(eq(evalRunItems.runId, runId));
  const summary = storedSummary(rows.map((r) => ({ ...r, results: r.scores })));
  const allFailed = rows.length > 0 && rows.every((r) => r.error !== null);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(evalRuns)
      .set(
        allFailed
          ? {
              status: "failed",
              error: `every item failed; the first: ${rows.find((r) => r.error)!.error}`.slice(0, 2000),
              summary,
              finishedAt: new Date(),
            }
          : {
              ...runOutcome(summary),
              score: summary.score,
              passRate: summary.passRate,
              summary,
              finishedAt: new Date(),
            },
      )
      .where(and(eq(evalRuns.id, runId), eq(evalRuns.status, "running"), eq(evalRuns.done, evalRuns.total)))
      .returning();
    if (row) await auditCompletion(tx, row);
    return row;
  });
}
