// Rows left queued without a job. A creator sends the row's job after the row is committed (the job must
// find it), so a process that dies in between, or a queue that refuses the send, leaves a row that no
// worker will ever take. A sweep cron sends those again; the job's singleton policy (keyed by the row's
// id) and the worker's claim make a row sent twice run once. Evaluation runs and optimizations use it.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { defineCron, type CronDefinition, type JobSender } from "./define";

/** A queued row younger than this may still be on its way to the queue (its creator sends after commit). */
export const STRANDED_AFTER_SECONDS = 60;

export type StrandedOptions = { now?: Date; olderThanSeconds?: number; limit?: number };

/** What a sweep looks for: rows of `table` with status 'queued', whose job (named `job`) is keyed by their id. */
export type StrandedKind = { table: "eval_runs" | "optimizations"; job: string };

/**
 * Rows queued for longer than `olderThanSeconds` that have no job waiting, retrying or active: oldest
 * first, at most `limit`. Without the queue's tables (it never started on this database) no row has one.
 */
export async function strandedRows(db: Db, kind: StrandedKind, opts: StrandedOptions = {}): Promise<string[]> {
  const cutoff = new Date(
    (opts.now ?? new Date()).getTime() - (opts.olderThanSeconds ?? STRANDED_AFTER_SECONDS) * 1000,
  );
  const [table] = await queryRows<{ t: string | null }>(db, sql`select to_regclass('pgboss.job')::text as t`);
  const withoutJob = table?.t
    ? sql`and not exists (select 1 from pgboss.job j where j.name = ${kind.job}
        and j.singleton_key = r.id::text and j.state in ('created', 'retry', 'active'))`
    : sql``;
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select r.id from ${sql.identifier(kind.table)} r
      where r.status = 'queued' and r.created_at < ${cutoff.toISOString()}::timestamptz ${withoutJob}
      order by r.created_at limit ${opts.limit ?? 500}`,
  );
  return rows.map((r) => r.id);
}

/** Sends the job of every stranded row; returns their ids. */
export async function requeueStranded(
  db: Db,
  kind: StrandedKind,
  enqueue: (id: string) => Promise<void>,
  opts: Omit<StrandedOptions, "limit"> = {},
): Promise<string[]> {
  const ids = await strandedRows(db, kind, opts);
  for (const id of ids) await enqueue(id);
  return ids;
}

/**
 * The cron `name` that sends stranded rows' jobs again, every minute by default. Where this process runs
 * no queue (a host that calls /api/cron/<name> without one) there is nothing to send them to.
 */
export function strandedSweep(
  name: string,
  kind: StrandedKind,
  enqueueWith: (jobs: JobSender) => (id: string) => Promise<void>,
  description: string,
  opts: { schedule?: string; olderThanSeconds?: number } = {},
): CronDefinition {
  return defineCron(
    name,
    async ({ db, jobs, now }) =>
      jobs
        ? {
            requeued: await requeueStranded(db, kind, enqueueWith(jobs), {
              now,
              olderThanSeconds: opts.olderThanSeconds,
            }),
          }
        : { requeued: [], skipped: "no job queue in this process" },
    { schedule: opts.schedule ?? "* * * * *", description },
  );
}

/**
 * One kind's stranded rows, their requeue and the sweep cron `name` (the cron's `description`, its jobs sent
 * through `enqueueWith`), bound to the kind.
 */
export function strandedOf(
  kind: StrandedKind,
  cron: { name: string; enqueueWith: (jobs: JobSender) => (id: string) => Promise<void>; description: string },
) {
  return {
    rows: (db: Db, opts: StrandedOptions = {}) => strandedRows(db, kind, opts),
    requeue: (db: Db, enqueue: (id: string) => Promise<void>, opts: { now?: Date; olderThanSeconds?: number } = {}) =>
      requeueStranded(db, kind, enqueue, opts),
    sweep: (opts: { schedule?: string; olderThanSeconds?: number } = {}) =>
      strandedSweep(cron.name, kind, cron.enqueueWith, cron.description, opts),
  };
}
