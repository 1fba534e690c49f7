// Taking a run for execution and ending it: the claim (queued → running, within the project's limit of
// running runs) and the final status of a run that stops without completing.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { queryRows } from "../../../db/client";
import { evalRuns } from "../../../db/schema";
import type { EvalRunRow } from "./create";

/** Sets a final status on a run still queued or running; undefined when it had already finished. */
export async function finish(db: Db, runId: string, set: Partial<typeof evalRuns.$inferInsert>) {
  const [row] = await db
    .update(evalRuns)
    .set({ ...set, finishedAt: new Date() })
    .where(and(eq(evalRuns.id, runId), inArray(evalRuns.status, ["queued", "running"])))
    .returning();
  return row;
}

/** Marks a run failed (the job's last retry failed, or it cannot start). */
export async function failRun(db: Db, runId: string, error: string) {
  return finish(db, runId, { status: "failed", error: error.slice(0, 2000) });
}

export type Claim =
  { kind: "claimed"; row: EvalRunRow } | { kind: "deferred" | "finished"; row: EvalRunRow } | { kind: "missing" };

/**
 * Marks the run running, unless it is finished, gone, or its project already has `limit` runs running
 * (then it stays queued). The count and the claim happen under a per-project lock, so two workers
 * cannot both take the last place.
 */
export async function claimRun(db: Db, runId: string, limit: number | undefined): Promise<Claim> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(evalRuns).where(eq(evalRuns.id, runId));
    if (!row) return { kind: "missing" };
    if (row.status !== "queued" && row.status !== "running") return { kind: "finished", row };
    if (limit !== undefined && row.status === "queued") {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`eval-runs:${row.projectId}`}))`);
      const [running] = await queryRows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from eval_runs where project_id = ${row.projectId} and status = 'running' and id <> ${row.id}`,
      );
      if ((running?.n ?? 0) >= limit) return { kind: "deferred", row };
    }
    const [claimed] = await tx
      .update(evalRuns)
      .set({ status: "running", startedAt: sql`coalesce(${evalRuns.startedAt}, now())` })
      .where(and(eq(evalRuns.id, runId), inArray(evalRuns.status, ["queued", "running"])))
      .returning();
    return claimed ? { kind: "claimed", row: claimed } : { kind: "finished", row };
  });
}
