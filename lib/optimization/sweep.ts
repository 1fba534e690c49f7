// Optimizations left queued without a job. createOptimization sends the job after the row is committed
// (the job must find it), so a process that dies in between, or a queue that refuses the send, leaves an
// optimization no worker will take — and, as it waits for its turn (claim.ts), one that other projects'
// optimizations would wait behind. The `optimization-sweep` cron sends those again; the singleton policy
// and the claim make one sent twice run once.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { defineCron } from "../jobs/define";
import type { EnqueueOptimization } from "./create";
import { enqueueOptimizationWith, optimizationJobRef } from "./job";

/** A queued optimization younger than this may still be on its way to the queue. */
export const STRANDED_AFTER_SECONDS = 60;

/** Queued optimizations older than `olderThanSeconds` with no job waiting, retrying or active, oldest first. */
export async function strandedOptimizations(
  db: Db,
  opts: { now?: Date; olderThanSeconds?: number; limit?: number } = {},
): Promise<string[]> {
  const cutoff = new Date(
    (opts.now ?? new Date()).getTime() - (opts.olderThanSeconds ?? STRANDED_AFTER_SECONDS) * 1000,
  );
  const [table] = await queryRows<{ t: string | null }>(db, sql`select to_regclass('pgboss.job')::text as t`);
  const withoutJob = table?.t
    ? sql`and not exists (select 1 from pgboss.job j where j.name = ${optimizationJobRef.name}
        and j.singleton_key = o.id::text and j.state in ('created', 'retry', 'active'))`
    : sql``;
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select o.id from optimizations o
      where o.status = 'queued' and o.created_at < ${cutoff.toISOString()}::timestamptz ${withoutJob}
      order by o.created_at limit ${opts.limit ?? 500}`,
  );
  return rows.map((r) => r.id);
}

/** Sends the job of every stranded optimization; returns their ids. */
export async function requeueStrandedOptimizations(
  db: Db,
  enqueue: EnqueueOptimization,
  opts: { now?: Date; olderThanSeconds?: number } = {},
): Promise<string[]> {
  const ids = await strandedOptimizations(db, opts);
  for (const id of ids) await enqueue(id);
  return ids;
}

export function optimizationSweep(opts: { schedule?: string; olderThanSeconds?: number } = {}) {
  return defineCron(
    "optimization-sweep",
    async ({ db, jobs, now }) =>
      jobs
        ? {
            requeued: await requeueStrandedOptimizations(db, enqueueOptimizationWith(jobs), {
              now,
              olderThanSeconds: opts.olderThanSeconds,
            }),
          }
        : { requeued: [], skipped: "no job queue in this process" },
    {
      schedule: opts.schedule ?? "* * * * *",
      description: `Send the job of each optimization left queued without one for over ${STRANDED_AFTER_SECONDS} s (a process that stopped between creating it and queueing it).`,
    },
  );
}
