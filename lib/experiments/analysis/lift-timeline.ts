// The experiment page's "Lift over time": the cumulative lift of each variant on the primary metric,
// binned to the span of the data (minutes when the events fall within minutes, hours for days), each point
// labelled by the fixed end of its bin (clock-aligned in UTC, never "now"), and the estimate plotted is the one
// the verdict states: the CUPED-adjusted comparison wherever CUPED applies at that point (adjusted.ts's rule),
// with the unadjusted one beside it. Subjects count at the time they arrived (their first exposure, or the hour
// of their first value), with their values as they stand: the cohort view the aggregates allow. Pure.
import { compareArms, type CompareOptions } from "../../stats/compare";
import { addCupedMoments, cupedFromMoments, emptyCupedMoments, type CupedMoments } from "../../stats/cuped";
import type { SufficientStats } from "../../stats/summary";
import { binEnd, binWidth } from "./bins";

/** What arrived at `at` in one arm: its subjects' statistics on the primary metric and their CUPED moments. */
export type CohortRow = { at: number; variant: string; stats: SufficientStats; moments: CupedMoments };
/** Subjects exposed at `at` in one arm (they count even before they have a value). */
export type ExposureRow = { at: number; variant: string; subjects: number };

export type LiftEstimate = { lift: number | null; ci: [number, number] | null };
export type TimelineLift = LiftEstimate & {
  /** The estimate is CUPED-adjusted (false: CUPED cannot apply yet, and it is the unadjusted one). */
  adjusted: boolean;
  /** The unadjusted estimate, the secondary line. */
  raw: LiftEstimate;
};
export type TimelinePoint = {
  /** The end of the bin (ISO 8601): a fixed point in time. */
  at: string;
  lift: Record<string, TimelineLift>;
  /** Subjects per arm so far (cumulative), the control's included. */
  subjects: Record<string, number>;
};

const add = (a: SufficientStats, b: SufficientStats): SufficientStats => ({
  n: a.n + b.n,
  sum: a.sum + b.sum,
  sumSq: a.sumSq + b.sumSq,
});

/** One subject's row: its value y (its mean on the metric) and its pre-exposure value x (null: no history). */
export function subjectRow(at: number, variant: string, y: number, x: number | null): CohortRow {
  return {
    at,
    variant,
    stats: { n: 1, sum: y, sumSq: y * y },
    moments: {
      n: 1,
      sumY: y,
      sumYY: y * y,
      withHistory: x === null ? 0 : 1,
      sumX: x ?? 0,
      sumXX: x === null ? 0 : x * x,
      sumXY: x === null ? 0 : x * y,
      sumYH: x === null ? 0 : y,
    },
  };
}

/**
 * The cumulative lift of each variant over `variants[0]` at the end of each bin that has data, with the same
 * comparison options as the results (`kind`, `method`, `alpha`, `plannedTotal`).
 */
export function liftTimeline(input: {
  rows: readonly CohortRow[];
  exposures: readonly ExposureRow[];
  variants: readonly string[];
  compare: CompareOptions;
  /** The smallest bin the data allow: a minute for per-subject rows, an hour for the hourly aggregates. */
  minWidth: number;
}): { width: number; points: TimelinePoint[] } {
  const times = [...input.rows.map((r) => r.at), ...input.exposures.map((x) => x.at)];
  if (!times.length) return { width: input.minWidth, points: [] };
  const first = times.reduce((a, b) => Math.min(a, b));
  const last = times.reduce((a, b) => Math.max(a, b));
  const width = binWidth(first, last, input.minWidth);
  const ends = [...new Set(times.map((t) => binEnd(t, width)))].sort((a, b) => a - b);
  const byEnd = <T extends { at: number }>(rows: readonly T[]) => {
    const m = new Map<number, T[]>();
    for (const r of rows) {
      const e = binEnd(r.at, width);
      const list = m.get(e);
      if (list) list.push(r);
      else m.set(e, [r]);
    }
    return m;
  };
  const rowsAt = byEnd(input.rows);
  const exposuresAt = byEnd(input.exposures);
  const stats = new Map(input.variants.map((v) => [v, { n: 0, sum: 0, sumSq: 0 } as SufficientStats]));
  const moments = new Map(input.variants.map((v) => [v, emptyCupedMoments()]));
  const exposed = new Map(input.variants.map((v) => [v, 0]));
  const [control, ...treatments] = input.variants;
  const { kind: _kind, ...cupedOptions } = input.compare;
  const points = ends.map((end): TimelinePoint => {
    for (const r of rowsAt.get(end) ?? []) {
      if (!stats.has(r.variant)) continue;
      stats.set(r.variant, add(stats.get(r.variant)!, r.stats));
      moments.set(r.variant, addCupedMoments(moments.get(r.variant)!, r.moments));
    }
    for (const x of exposuresAt.get(end) ?? [])
      if (exposed.has(x.variant)) exposed.set(x.variant, exposed.get(x.variant)! + x.subjects);
    const lift = Object.fromEntries(
      treatments.map((v): [string, TimelineLift] => {
        const c = compareArms(stats.get(control!)!, stats.get(v)!, input.compare);
        const raw = { lift: c.lift, ci: c.ci };
        const cuped = cupedFromMoments([moments.get(control!)!, moments.get(v)!], cupedOptions);
        const a = cuped.ok ? cuped.comparisons[0]! : null;
        // adjusted.ts's rule: the adjusted comparison whenever CUPED applies and gives a difference.
        return [
          v,
          a && a.difference !== null
            ? { lift: a.lift, ci: a.ci, adjusted: true, raw }
            : { ...raw, adjusted: false, raw },
        ];
      }),
    );
    return {
      at: new Date(end).toISOString(),
      lift,
      subjects: Object.fromEntries(input.variants.map((v) => [v, Math.max(exposed.get(v)!, stats.get(v)!.n)])),
    };
  });
  return { width, points };
}
