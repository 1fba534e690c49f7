// Ratio metrics' moments kept as events arrive (experiment_ratio_stats), so that results read O(arms × ratios)
// rows at any number of subjects. A subject's point is (x, y) = (Σ numerator, Σ denominator) over its values
// (0 for a metric it has none of); it counts once it has a value of either. When a batch changes a subject's
// sums, its old point is taken out of the arm's moments and its new one put in: x₁ − x₀, x₁² − x₀², x₁y₁ − x₀y₀…
// A bandit's subjects are sticky and analysed across its phases (scope 0); other experiments per phase.
import { inArray, sql } from "drizzle-orm";
import { queryRows, type Db } from "../../../db/client";
import { experiments } from "../../../db/schema";
import type { RatioMetric } from "../definition";

/** What one batch added to a subject's row of a metric (after the row was upserted). */
export type SubjectChange = {
  experimentId: string;
  phase: number;
  variantKey: string;
  metric: string;
  subject: string;
  addedCount: number;
  addedSum: number;
};

type Moments = { n: number; sumX: number; sumY: number; sumXX: number; sumYY: number; sumXY: number };

export type RatioDelta = { experimentId: string; scope: number; variantKey: string; ratio: string } & Moments;

/**
 * What `changes` add to the ratio moments of the experiments they touch (read inside the batch's transaction,
 * after the subjects' rows were upserted), sorted by key; ingest adds them (lectern_add_shared_sums, lib/ingest/aggregate.ts).
 */
export async function ratioDeltas(tx: Db, changes: readonly SubjectChange[]): Promise<RatioDelta[]> {
  if (!changes.length) return [];
  const ids = [...new Set(changes.map((c) => c.experimentId))];
  const defs = await tx
    .select({ id: experiments.id, mode: experiments.mode, ratios: experiments.ratioMetrics })
    .from(experiments)
    .where(inArray(experiments.id, ids));
  const withRatios: WithRatios = new Map(
    defs.filter((d) => d.ratios.length > 0).map((d) => [d.id, { bandit: d.mode === "bandit", ratios: d.ratios }]),
  );
  const relevant = changes.filter((c) => {
    const d = withRatios.get(c.experimentId);
    return d?.ratios.some((r) => r.numerator === c.metric || r.denominator === c.metric);
  });
  if (!relevant.length) return [];
  const added = addedPerSubject(relevant, withRatios);
  const now = await totalsNow(tx, relevant, withRatios, added);
  const deltas = momentDeltas(added, now, withRatios);
  // Sorted keys: concurrent batches lock rows in the same order (no deadlocks).
  return [...deltas.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
}

type WithRatios = Map<string, { bandit: boolean; ratios: RatioMetric[] }>;
/** Per subject (`experiment|scope|variant|subject`), per metric: a count and a sum. */
type PerSubject = Map<string, Map<string, { count: number; sum: number }>>;

const scopeOf = (withRatios: WithRatios, c: { experimentId: string; phase: number }) =>
  withRatios.get(c.experimentId)!.bandit ? 0 : c.phase;
const subjectKey = (c: { experimentId: string; variantKey: string; subject: string }, scope: number) =>
  `${c.experimentId}|${scope}|${c.variantKey}|${c.subject}`;

// What the batch added, per subject (in its scope) and metric.
function addedPerSubject(relevant: readonly SubjectChange[], withRatios: WithRatios): PerSubject {
  const added = new Map<string, Map<string, { count: number; sum: number }>>();
  for (const c of relevant) {
    const k = subjectKey(c, scopeOf(withRatios, c));
    const byMetric = added.get(k) ?? new Map<string, { count: number; sum: number }>();
    const a = byMetric.get(c.metric) ?? { count: 0, sum: 0 };
    byMetric.set(c.metric, { count: a.count + c.addedCount, sum: a.sum + c.addedSum });
    added.set(k, byMetric);
  }
  return added;
}

// The subjects' totals now (this batch included), for every metric of their experiments' ratios.
async function totalsNow(
  tx: Db,
  relevant: readonly SubjectChange[],
  withRatios: WithRatios,
  added: PerSubject,
): Promise<PerSubject> {
  const metrics = [
    ...new Set([...withRatios.values()].flatMap((d) => d.ratios.flatMap((r) => [r.numerator, r.denominator]))),
  ];
  const rows = await queryRows<{
    experiment_id: string;
    phase: number;
    variant_key: string;
    subject: string;
    metric: string;
    count: string | number;
    sum: number;
  }>(
    tx,
    // Per subject an index look-up (OFFSET 0 keeps the lateral a loop): a join was planned as a scan of the
    // whole table whenever its statistics lagged its growth.
    sql`select s.experiment_id, s.phase, s.variant_key, s.subject, s.metric, s.count, s.sum
          from (select distinct * from unnest(${sql.param(relevant.map((c) => c.experimentId))}::uuid[],
                  ${sql.param(relevant.map((c) => c.subject))}::text[])) as k(experiment_id, subject)
          cross join lateral (
            select * from experiment_subject_stats s
            where s.experiment_id = k.experiment_id and s.subject = k.subject and s.metric = any(${sql.param(metrics)}::text[])
            offset 0) s`,
  );
  const now = new Map<string, Map<string, { count: number; sum: number }>>();
  for (const r of rows) {
    const c = { experimentId: r.experiment_id, phase: r.phase, variantKey: r.variant_key, subject: r.subject };
    if (!withRatios.has(c.experimentId)) continue;
    const scope = scopeOf(withRatios, c);
    const k = subjectKey(c, scope);
    if (!added.has(k)) continue; // another phase of a non-bandit experiment
    const byMetric = now.get(k) ?? new Map<string, { count: number; sum: number }>();
    const t = byMetric.get(r.metric) ?? { count: 0, sum: 0 };
    byMetric.set(r.metric, { count: t.count + Number(r.count), sum: t.sum + Number(r.sum) });
    now.set(k, byMetric);
  }
  return now;
}

// Per arm and ratio: the subjects' old points out, their new points in.
function momentDeltas(added: PerSubject, now: PerSubject, withRatios: WithRatios) {
  const deltas = new Map<string, RatioDelta>();
  for (const [k, byMetric] of added) {
    const [experimentId, scopeText, variantKey] = k.split("|") as [string, string, string];
    const totals = now.get(k) ?? new Map();
    for (const r of withRatios.get(experimentId)!.ratios as RatioMetric[]) {
      const ax = byMetric.get(r.numerator);
      const ay = byMetric.get(r.denominator);
      if (!ax && !ay) continue;
      const tx1 = totals.get(r.numerator) ?? { count: 0, sum: 0 };
      const ty1 = totals.get(r.denominator) ?? { count: 0, sum: 0 };
      const [x1, y1] = [tx1.sum, ty1.sum];
      const [x0, y0] = [x1 - (ax?.sum ?? 0), y1 - (ay?.sum ?? 0)];
      const was = tx1.count - (ax?.count ?? 0) > 0 || ty1.count - (ay?.count ?? 0) > 0;
      const dk = `${experimentId}|${scopeText}|${variantKey}|${r.name}`;
      const d = deltas.get(dk) ?? {
        experimentId,
        scope: Number(scopeText),
        variantKey,
        ratio: r.name,
        n: 0,
        sumX: 0,
        sumY: 0,
        sumXX: 0,
        sumYY: 0,
        sumXY: 0,
      };
      d.n += was ? 0 : 1;
      d.sumX += x1 - (was ? x0 : 0);
      d.sumY += y1 - (was ? y0 : 0);
      d.sumXX += x1 * x1 - (was ? x0 * x0 : 0);
      d.sumYY += y1 * y1 - (was ? y0 * y0 : 0);
      d.sumXY += x1 * y1 - (was ? x0 * y0 : 0);
      deltas.set(dk, d);
    }
  }
  return deltas;
}
