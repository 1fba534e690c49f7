// Each running experiment's call (winner, verdict, the deciding comparisons, subjects, progress, SRM) as last
// computed, kept in experiment_decisions so that the experiments list and the prompt page's card read one row
// per experiment instead of analysing every subject on each view (the CUPED decision reads each subject's row
// and pre-exposure events: ~2.5 s per experiment at 50,000 subjects, bench/results/2026-11-25-cuped-list.md).
//
// Who computes it: the `experiment-decisions` cron job (refreshDecisions, every 5 minutes by default, one
// experiment at a time under the cron's lock, so a cluster computes each call once per period whatever the
// traffic); the experiment's page and `…/results`, which compute it live anyway (getExperimentResults); and
// start and reweight (../lifecycle.ts) for the new phase. A stop deletes it (../stop.ts): a stopped experiment's row
// shows the decision taken. It is the same computation as the page's (experimentResults), so a stored call
// can only be older than the page's, never another reading of the same data.
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { queryRows, type Db } from "../../../db/client";
import type { ReadSource } from "../../../db/replica";
import { experimentDecisions, experiments } from "../../../db/schema";
import { isAppError } from "../../errors";
import { decidingComparison } from "./adjusted";
import type { StoredComparison } from "../contracts";
import { experimentResults, type ResultsOptions } from "./results";
import type { Experiment } from "../store";

type Results = Awaited<ReturnType<typeof experimentResults>>;
export type StoredDecision = typeof experimentDecisions.$inferSelect;
type Clock = () => Date;
const systemClock: Clock = () => new Date();

/** What the list keeps of an experiment's results: the call and what it rests on. */
export function decisionOf(r: Results): Omit<StoredDecision, "experimentId" | "computedAt"> {
  const primary = r.primaryMetric.name;
  return {
    phase: r.experiment.phase,
    winner: r.winner,
    verdict: r.verdict,
    srmOk: r.srm.ok,
    subjects: r.arms.reduce((n, a) => n + a.subjects, 0),
    smallestArm: r.progress.smallestArm,
    plannedPerArm: r.plannedSamplePerArm,
    comparisons: r.comparisons.map((c): StoredComparison => {
      const m = c.metrics[primary]!;
      const d = decidingComparison(m);
      return {
        variant: c.variant,
        lift: d.lift,
        ci: d.ci,
        pValue: d.pValue,
        significant: d.significant,
        cuped: m.adjusted !== undefined,
      };
    }),
  };
}

/**
 * Stores the call of results read at `computedAt`, when the experiment is still running in the phase they were
 * read for, unless a newer reading of that phase is stored already (concurrent writers: the cron, a page view, a
 * start); a reading of a later phase replaces an earlier phase's whatever the clocks say.
 * Results must carry the deciding comparisons: read with the experiment's own look-back. Returns whether it wrote.
 */
export async function recordDecision(db: Db, r: Results, computedAt: Date): Promise<boolean> {
  if (r.experiment.status !== "running") return false;
  const d = decisionOf(r);
  const rows = await queryRows<{ experiment_id: string }>(
    db,
    sql`insert into experiment_decisions
          (experiment_id, phase, winner, verdict, srm_ok, subjects, smallest_arm, planned_per_arm, comparisons, computed_at)
        select e.id, ${d.phase}::int, ${d.winner}::text, ${d.verdict}::text, ${d.srmOk}::boolean, ${d.subjects}::int,
               ${d.smallestArm}::int, ${d.plannedPerArm}::int, ${JSON.stringify(d.comparisons)}::jsonb,
               ${computedAt.toISOString()}::timestamptz
          from experiments e
         where e.id = ${r.experiment.id} and e.status = 'running' and e.phase = ${d.phase}::int
        on conflict (experiment_id) do update set
          phase = excluded.phase, winner = excluded.winner, verdict = excluded.verdict, srm_ok = excluded.srm_ok,
          subjects = excluded.subjects, smallest_arm = excluded.smallest_arm,
          planned_per_arm = excluded.planned_per_arm, comparisons = excluded.comparisons,
          computed_at = excluded.computed_at
        where experiment_decisions.phase < excluded.phase or experiment_decisions.computed_at <= excluded.computed_at
        returning experiment_id`,
  );
  return rows.length > 0;
}

/** Computes one experiment's call as the list shows it (CUPED on the primary metric) and stores it. */
export async function refreshDecision(
  db: Db,
  projectId: string,
  id: string,
  now: Clock = systemClock,
  /** The experiment as the caller read it after its change committed: not read again. */
  experiment?: Experiment,
) {
  const computedAt = now();
  const r = await experimentResults(db, projectId, id, { perSubject: "decision", now: computedAt, experiment });
  await recordDecision(db, r, computedAt);
  return r;
}

/**
 * After a start or a reweight has committed: the new phase's call, so the list has one at once. Best effort:
 * the change is done whatever happens here, and until the next scheduled run the list says the call is not
 * computed yet (it never shows the previous phase's).
 */
export async function refreshAfterChange(
  db: Db,
  projectId: string,
  id: string,
  now: Clock = systemClock,
  /** The experiment as the caller read it after its change committed: not read again. */
  experiment?: Experiment,
) {
  await refreshDecision(db, projectId, id, now, experiment).catch(() => null);
}

/**
 * The results as the experiment's page and `…/results` show them, computed live; their call is stored on the
 * way (one row written), so the list catches up with the page whenever someone opens it. Another look-back
 * (`lookbackDays`) changes the adjusted numbers shown but not the call; such results are not stored, since
 * their comparisons are not the deciding ones.
 */
export async function getExperimentResults(
  db: Db,
  projectId: string,
  id: string,
  opts: Omit<ResultsOptions, "perSubject"> = {},
  now: Clock = systemClock,
  /**
   * Where the sums are read: `db`, or a replica. The call is stored from a read of `db`, or of a replica that had
   * caught up when last checked (at most a second before): a lagging read must not set it.
   */
  read: ReadSource = { db, replicaLagSeconds: null },
): Promise<Results> {
  const source = read.db;
  // Viewers who ask while a computation of the same results is under way share it: reloading a page many
  // times at once costs one computation, not one each.
  const key = `${projectId}|${id}|${opts.lookbackDays ?? ""}|${opts.unitNoun ?? ""}|${opts.phase ?? ""}`;
  const inFlight = computing.get(source) ?? new Map<string, Promise<Results>>();
  computing.set(source, inFlight);
  const running = inFlight.get(key);
  if (running && opts.now === undefined) return running;
  const computedAt = now();
  const p = (async () => {
    // An experiment the replica has not replayed yet (just created) is read from the primary.
    const r = await experimentResults(source, projectId, id, opts).catch((e: unknown) => {
      if (source !== db && isAppError(e) && e.code === "not_found") return experimentResults(db, projectId, id, opts);
      throw e;
    });
    const current = source === db || read.replicaLagSeconds === 0;
    // Only the current phase's call is the experiment's.
    if (opts.lookbackDays === undefined && opts.phase === undefined && current) await recordDecision(db, r, computedAt);
    return r;
  })().finally(() => {
    if (inFlight.get(key) === p) inFlight.delete(key);
  });
  if (opts.now === undefined) inFlight.set(key, p);
  return p;
}

const computing = new WeakMap<Db, Map<string, Promise<Results>>>();

/** The stored calls of these experiments, for the phase each is in now (another phase's call is not returned). */
export async function storedDecisions(db: Db, ids: string[]): Promise<Map<string, StoredDecision>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ d: experimentDecisions })
    .from(experimentDecisions)
    .innerJoin(
      experiments,
      and(eq(experiments.id, experimentDecisions.experimentId), eq(experiments.phase, experimentDecisions.phase)),
    )
    .where(inArray(experimentDecisions.experimentId, ids));
  return new Map(rows.map(({ d }) => [d.experimentId, d]));
}

export type DecisionsRun = {
  refreshed: number;
  /** Left for the next run when the time budget ran out (the oldest calls go first, so every one gets its turn). */
  postponed: number;
  failed: { experimentId: string; error: string }[];
  /** Rows of experiments that are no longer running (stopped by a deployment, say). */
  dropped: number;
};

/**
 * The `experiment-decisions` cron job: recomputes every running experiment's call, one at a time (one
 * analysis's load on the database at any moment), those without a call for their current phase first, then
 * the oldest. Once `budgetMs` has passed it starts no other (it always does one), so a run ends within about
 * its schedule's period and the HTTP cron route within a host's time limit.
 */
export async function refreshDecisions(db: Db, opts: { now?: Clock; budgetMs?: number } = {}): Promise<DecisionsRun> {
  const now = opts.now ?? systemClock;
  const budgetMs = opts.budgetMs ?? 4 * 60_000;
  const started = now().getTime();
  const dropped = await db
    .delete(experimentDecisions)
    .where(
      inArray(
        experimentDecisions.experimentId,
        db.select({ id: experiments.id }).from(experiments).where(ne(experiments.status, "running")),
      ),
    )
    .returning({ id: experimentDecisions.experimentId });
  const due = await db
    .select({ id: experiments.id, projectId: experiments.projectId })
    .from(experiments)
    .leftJoin(experimentDecisions, eq(experimentDecisions.experimentId, experiments.id))
    .where(eq(experiments.status, "running"))
    .orderBy(
      sql`(${experimentDecisions.phase} is not distinct from ${experiments.phase})`,
      sql`${experimentDecisions.computedAt} asc nulls first`,
      asc(experiments.startedAt),
    );
  const run: DecisionsRun = { refreshed: 0, postponed: 0, failed: [], dropped: dropped.length };
  for (const [i, e] of due.entries()) {
    if (i > 0 && now().getTime() - started >= budgetMs) {
      run.postponed = due.length - i;
      break;
    }
    try {
      await refreshDecision(db, e.projectId, e.id, now);
      run.refreshed++;
    } catch (err) {
      run.failed.push({ experimentId: e.id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return run;
}
