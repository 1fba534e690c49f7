// Taking an optimization for execution, in fair turns across projects. A job that picks up an optimization
// claims it (queued → running) unless its project already runs its share (maxRunningPerProject), or another
// project with an optimization waiting has its turn first: one running fewer, or, running as many, one
// whose last optimization started longer ago (a project that never started one comes first). A deferred
// job gives its worker back and comes again later (job.ts), so the worker takes the other project's
// optimization: one project's queue never holds another's behind it, whatever the order of arrival.
// Every claim is decided under one lock, so two workers cannot both see the same turn as theirs. An
// optimization left queued without a job (its process stopped between commit and send; sweep.ts sends it
// again) holds nobody's turn once it is older than STRANDED_AFTER_SECONDS: a project with one waits for no one.
import { and, eq, inArray, sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { optimizations } from "../../db/schema";
import { STRANDED_AFTER_SECONDS } from "../jobs/stranded";
import { OPTIMIZATION_JOB } from "./job-name";
import type { OptimizationRow } from "./reads";

export type OptimizationClaim =
  | { kind: "claimed"; row: OptimizationRow }
  | { kind: "deferred"; row: OptimizationRow; why: "project_limit" | "turn" }
  | { kind: "finished"; row: OptimizationRow }
  | { kind: "missing" };

type ProjectQueue = { project_id: string; running: number; waiting: number; last_start: string | null };

/** Whether project q's turn comes before project p's (both have an optimization waiting). */
export function turnBefore(
  q: { running: number; lastStart: Date | null },
  p: { running: number; lastStart: Date | null },
): boolean {
  if (q.running !== p.running) return q.running < p.running;
  if (q.lastStart === null) return p.lastStart !== null;
  return p.lastStart !== null && q.lastStart < p.lastStart;
}

/**
 * Marks the optimization running, unless it is finished or gone, or it must wait (deferred). An
 * optimization already running (its job was interrupted and retried) is taken again at once.
 * `maxRunningPerProject` undefined: no limit and no turns (tests that execute one directly).
 */
export async function claimOptimization(
  db: Db,
  id: string,
  maxRunningPerProject: number | undefined,
): Promise<OptimizationClaim> {
  return db.transaction(async (tx) => {
    if (maxRunningPerProject !== undefined)
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('optimizations:turns'))`);
    const [row] = await tx.select().from(optimizations).where(eq(optimizations.id, id));
    if (!row) return { kind: "missing" };
    if (row.status !== "queued" && row.status !== "running") return { kind: "finished", row };
    if (maxRunningPerProject !== undefined && row.status === "queued") {
      const [queue] = await queryRows<{ t: string | null }>(tx, sql`select to_regclass('pgboss.job')::text as t`);
      // Waiting: on its way to the queue (young), or with a job there; without the queue's tables, any.
      const hasJob = queue?.t
        ? sql`and (a.created_at > now() - make_interval(secs => ${STRANDED_AFTER_SECONDS}) or exists (
            select 1 from pgboss.job j where j.name = ${OPTIMIZATION_JOB} and j.singleton_key = a.id::text
              and j.state in ('created', 'retry', 'active')))`
        : sql``;
      const queues = await queryRows<ProjectQueue>(
        tx,
        sql`select a.project_id,
              count(*) filter (where a.status = 'running')::int as running,
              count(*) filter (where a.status = 'queued' and a.id <> ${row.id} ${hasJob})::int as waiting,
              (select max(s.started_at) from optimizations s where s.project_id = a.project_id)::text as last_start
            from optimizations a where a.status in ('queued', 'running')
            group by a.project_id`,
      );
      const turn = (q: ProjectQueue | undefined) => ({
        running: q?.running ?? 0,
        lastStart: q?.last_start ? new Date(q.last_start) : null,
      });
      const mine = queues.find((q) => q.project_id === row.projectId);
      if ((mine?.running ?? 0) >= maxRunningPerProject) return { kind: "deferred", row, why: "project_limit" };
      const ahead = queues.some(
        (q) =>
          q.project_id !== row.projectId &&
          q.waiting > 0 &&
          q.running < maxRunningPerProject &&
          turnBefore(turn(q), turn(mine)),
      );
      if (ahead) return { kind: "deferred", row, why: "turn" };
    }
    const [claimed] = await tx
      .update(optimizations)
      .set({ status: "running", startedAt: sql`coalesce(${optimizations.startedAt}, now())` })
      .where(and(eq(optimizations.id, id), inArray(optimizations.status, ["queued", "running"])))
      .returning();
    return claimed ? { kind: "claimed", row: claimed } : { kind: "finished", row };
  });
}
