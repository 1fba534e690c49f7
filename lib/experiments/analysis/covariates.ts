// CUPED's covariate for experiment results: for each subject of an arm, its value of a metric (the mean of
// its events, as the unadjusted results use) paired with its pre-exposure value of the same metric, the
// mean of its events of that metric on the same prompt in the experiment's environment in the look-back
// window before its first exposure.
//
// Only the experiment's environment: the outcome is measured there (ingest attributes an event to an
// experiment only in its environment), and another environment's traffic is another population (testers and
// CI in staging, people in production) whose subject ids may even name different people, so its history would
// pair a subject with someone else's past, or the same person's under other conditions, and explain less of
// the outcome. Randomisation would keep the estimate unbiased either way; this is about precision and about
// saying honestly whose history was used. It also keeps a staging experiment from scanning production's events.
//
// Results read CUPED from the per-arm moments ingest keeps (lib/ingest/aggregate.ts, each subject's covariate
// fixed when it enters); this reads per-subject rows and the raw events of the window instead, for a look-back
// other than the experiment's own (`?lookbackDays=N`, a what-if) and as the reference the kept moments are
// tested against (prior.int.test.ts).
import { and, eq, gte, inArray, isNull, lt, min, ne, or, sql } from "drizzle-orm";
import { readTogether, type Db } from "../../../db/client";
import { experimentExposures, experimentSubjectStats, metricEvents } from "../../../db/schema";
import { addCupedSubject, emptyCupedMoments, type CupedMoments, type CupedSubject } from "../../stats/cuped";
import { metricsOf, type MetricEvent } from "../metric-events";

const DAY_MS = 86_400_000;

/** variant key → metric name → per-subject (y, x) pairs. */
export type CovariatePairs = Map<string, Map<string, CupedSubject[]>>;

/** variant key → metric name → the arm's CUPED moments (what results read). */
export type CovariateMoments = Map<string, Map<string, CupedMoments>>;

/** The moments of per-subject pairs. */
export function momentsOfPairs(pairs: CovariatePairs): CovariateMoments {
  return new Map(
    [...pairs].map(([variant, byMetric]) => [
      variant,
      new Map([...byMetric].map(([metric, list]) => [metric, list.reduce(addCupedSubject, emptyCupedMoments())])),
    ]),
  );
}

/**
 * Per-subject pairs for `metrics` over `phases` of experiment `e` (a subject counts once per phase, as
 * in the aggregates). First exposure is the subject's earliest exposure in those phases, else the hour
 * of its first value. Pre-period events are those of the same project, prompt and environment with `at`
 * in [first − lookbackDays, first), except events attributed to this experiment (those come after exposure).
 */
export async function covariatePairs(
  db: Db,
  e: { id: string; projectId: string; promptId: string; environment: string },
  phases: readonly number[],
  metrics: readonly string[],
  lookbackDays: number,
): Promise<CovariatePairs> {
  const out: CovariatePairs = new Map();
  if (!phases.length || !metrics.length) return out;
  const inExperiment = and(
    eq(experimentSubjectStats.experimentId, e.id),
    inArray(experimentSubjectStats.phase, [...phases]),
    inArray(experimentSubjectStats.metric, [...metrics]),
  );
  const [rows, exposed] = await readTogether(db, [
    () =>
      db
        .select({
          variant: experimentSubjectStats.variantKey,
          metric: experimentSubjectStats.metric,
          subject: experimentSubjectStats.subject,
          count: experimentSubjectStats.count,
          sum: experimentSubjectStats.sum,
          bucket: experimentSubjectStats.bucket,
        })
        .from(experimentSubjectStats)
        .where(inExperiment),
    () =>
      db
        .select({ subject: experimentExposures.subject, first: min(experimentExposures.firstAt) })
        .from(experimentExposures)
        .where(and(eq(experimentExposures.experimentId, e.id), inArray(experimentExposures.phase, [...phases])))
        .groupBy(experimentExposures.subject),
  ]);
  if (!rows.length) return out;

  const first = firstExposures(rows, exposed);
  // A loop, not Math.min(...times): an experiment's subjects (hundreds of thousands) overflow the call stack
  // as arguments (the bench's 1,000,000-event experiment did).
  let earliest = Infinity;
  let latest = -Infinity;
  for (const t of first.values()) {
    if (t < earliest) earliest = t;
    if (t > latest) latest = t;
  }
  const events = await priorEvents(db, e, first, new Date(earliest - lookbackDays * DAY_MS), new Date(latest));
  const before = priorValues(events, first, metrics, lookbackDays);
  for (const r of rows) {
    if (!(r.count > 0)) continue;
    const perVariant = out.get(r.variant) ?? new Map<string, CupedSubject[]>();
    const list = perVariant.get(r.metric) ?? [];
    const acc = before.get(r.subject)?.get(r.metric);
    list.push({ y: r.sum / Number(r.count), x: acc ? acc[1] / acc[0] : null });
    perVariant.set(r.metric, list);
    out.set(r.variant, perVariant);
  }
  return out;
}

/** Each subject's first exposure (ms): its earliest in the phases read, else the hour of its first value. */
function firstExposures(
  rows: readonly { subject: string; bucket: Date }[],
  exposed: readonly { subject: string; first: Date | string | null }[],
) {
  const exposedAt = new Map<string, number>();
  for (const x of exposed) if (x.first) exposedAt.set(x.subject, new Date(x.first).getTime());
  const first = new Map<string, number>();
  for (const r of rows) {
    const t = exposedAt.get(r.subject) ?? r.bucket.getTime();
    first.set(r.subject, Math.min(first.get(r.subject) ?? t, t));
  }
  return first;
}

/** The events of the experiment's prompt and environment in [from, to), of the subjects in `first`. */
async function priorEvents(
  db: Db,
  e: { id: string; projectId: string; promptId: string; environment: string },
  first: Map<string, number>,
  from: Date,
  to: Date,
) {
  return db
    .select({ type: metricEvents.type, subject: metricEvents.subject, at: metricEvents.at, data: metricEvents.data })
    .from(metricEvents)
    .where(
      and(
        eq(metricEvents.projectId, e.projectId),
        eq(metricEvents.promptId, e.promptId),
        eq(metricEvents.environment, e.environment),
        gte(metricEvents.at, from),
        lt(metricEvents.at, to),
        // An event attributed to this experiment happened after the subject's exposure, whatever its `at`
        // says (clients back-date events, clocks drift): counting it as history would make the covariate
        // the outcome itself (θ ≈ 1, "variance reduced by 100%", the lift adjusted away).
        or(isNull(metricEvents.experimentId), ne(metricEvents.experimentId, e.id)),
        // The subjects as one array parameter, unnested: the planner knows how many there are and hashes
        // them. `subject in (select distinct … from experiment_subject_stats …)` was estimated at one row on
        // tables without statistics (PGlite has no autovacuum to gather them), planned as a nested loop and
        // took quadratic time: 26 s of results at 10,000 subjects (bench/results/2026-11-25-cuped-list.md).
        sql`${metricEvents.subject} in (select unnest(${sql.param([...first.keys()])}::text[]))`,
      ),
    );
}

function priorValues(
  events: Awaited<ReturnType<typeof priorEvents>>,
  first: Map<string, number>,
  metrics: readonly string[],
  lookbackDays: number,
) {
  // subject → metric → [count, sum] of pre-period values.
  const wanted = new Set(metrics);
  const before = new Map<string, Map<string, [number, number]>>();
  for (const ev of events) {
    const start = ev.subject === null ? undefined : first.get(ev.subject);
    const at = ev.at.getTime();
    if (start === undefined || at >= start || at < start - lookbackDays * DAY_MS) continue;
    const event = { ...ev.data, type: ev.type } as MetricEvent;
    for (const m of metricsOf(event)) {
      if (!wanted.has(m.name)) continue;
      const perSubject = before.get(ev.subject!) ?? new Map<string, [number, number]>();
      const acc = perSubject.get(m.name) ?? [0, 0];
      perSubject.set(m.name, [acc[0] + 1, acc[1] + m.value]);
      before.set(ev.subject!, perSubject);
    }
  }
  return before;
}
