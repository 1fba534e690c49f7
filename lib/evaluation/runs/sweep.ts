// Runs left queued without a job. createRun sends the run's job after the row is committed (the job must
// find it), so a process that dies in between, or a queue that refuses the send, leaves a run that no
// worker will ever take. The `eval-run-sweep` cron sends those again; the job's singleton policy and the
// claim (claim.ts) make a run sent twice run once.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../../db/client";
import { defineCron } from "../../jobs";
import type { EnqueueRun } from "./create";
import { enqueueWith } from "./job";
import { evalRunJobRef } from "./job-ref";

/** A queued run younger than this may still be on its way to the queue (createRun sends after commit). */
export const STRANDED_AFTER_SECONDS = 60;

/**
 * Runs queued for longer than `olderThanSeconds` that have no job waiting, retrying or active: oldest
 * first, at most `limit`. Without the queue's tables (it never started on this database) no run has one.
 */
export async function strandedRuns(
  db: Db,
  opts: { now?: Date; olderThanSeconds?: number; limit?: number } = {},
): Promise<string[]> {
  const cutoff = new Date(
    (opts.now ?? new Date()).getTime() - (opts.olderThanSeconds ?? STRANDED_AFTER_SECONDS) * 1000,
  );
  const [table] = await queryRows<{ t: string | null }>(db, sql`select to_regclass('pgboss.job')::text as t`);
  const withoutJob = table?.t
    ? sql`and not exists (select 1 from pgboss.job j where j.name = ${evalRunJobRef.name}
        and j.singleton_key = r.id::text and j.state in ('created', 'retry', 'active'))`
    : sql``;
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select r.id from eval_runs r
      where r.status = 'queued' and r.created_at < ${cutoff.toISOString()}::timestamptz ${withoutJob}
      order by r.created_at limit ${opts.limit ?? 500}`,
  );
  return rows.map((r) => r.id);
}

/** Sends the job of every stranded run; returns their ids. */
export async function requeueStrandedRuns(
  db: Db,
  enqueue: EnqueueRun,
  opts: { now?: Date; olderThanSeconds?: number } = {},
): Promise<string[]> {
  const ids = await strandedRuns(db, opts);
  for (const id of ids) await enqueue(id);
  return ids;
}

/**
 * The cron that sends stranded runs' jobs again, every minute by default. Where this process runs no
 * queue (a host that calls /api/cron/eval-run-sweep without one) there is nothing to send them to.
 */
export function evalRunSweep(opts: { schedule?: string; olderThanSeconds?: number } = {}) {
  return defineCron(
    "eval-run-sweep",
    async ({ db, jobs, now }) =>
      jobs
        ? {
            requeued: await requeueStrandedRuns(db, enqueueWith(jobs), {
              now,
              olderThanSeconds: opts.olderThanSeconds,
            }),
          }
        : { requeued: [], skipped: "no job queue in this process" },
    {
      schedule: opts.schedule ?? "* * * * *",
      description: `Send the job of each evaluation run left queued without one for over ${STRANDED_AFTER_SECONDS} s (a process that stopped between creating the run and queueing it).`,
    },
  );
}
