// Ratio metrics of an experiment's results (cost per completed task, tokens per thumbs-up): per arm
// Σ numerator / Σ denominator, compared with the delta method (lib/stats/ratio.ts). Reads the per-subject
// sums the events ingest keeps for every metric (experiment_subject_stats), so a ratio can be read for any
// two metrics the application sends, including ones added to the definition after the start.
// Secondary: like guardrails they are read with confidence sequences until a fixed test has its planned
// sample, and they never decide the experiment.
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { experimentSubjectStats } from "../../db/schema";
import type { MetricComparison } from "../stats/compare";
import { addRatioSubject, compareRatios, emptyRatioMoments, ratioArm, type RatioArm } from "../stats/ratio";
import { ratioGoal, type RatioMetric } from "./definition";

export type RatioResult = {
  name: string;
  numerator: string;
  denominator: string;
  goal: "increase" | "decrease";
  /** Per variant, in definition order (the control first). */
  arms: ({ variant: string } & RatioArm)[];
  /** One per non-control variant. */
  comparisons: ({ variant: string } & MetricComparison)[];
};

export type RatioContext = {
  /** Variant keys, the control first. */
  variants: readonly string[];
  /** Fixed mode with every arm at its planned sample: fixed-horizon tests; otherwise confidence sequences. */
  fixedReady: boolean;
  alpha: number;
  plannedTotal: number;
};

/**
 * Per-subject (Σ numerator, Σ denominator) for each ratio, summed over `phases`; a subject with values of
 * only one of the two counts 0 for the other (it was exposed and did not complete a task, say).
 */
export async function ratioResults(
  db: Db,
  experimentId: string,
  phases: readonly number[],
  ratios: readonly RatioMetric[],
  ctx: RatioContext,
): Promise<RatioResult[]> {
  if (!ratios.length) return [];
  const metrics = [...new Set(ratios.flatMap((r) => [r.numerator, r.denominator]))];
  const rows = phases.length
    ? await db
        .select({
          variant: experimentSubjectStats.variantKey,
          metric: experimentSubjectStats.metric,
          subject: experimentSubjectStats.subject,
          sum: experimentSubjectStats.sum,
        })
        .from(experimentSubjectStats)
        .where(
          and(
            eq(experimentSubjectStats.experimentId, experimentId),
            inArray(experimentSubjectStats.phase, [...phases]),
            inArray(experimentSubjectStats.metric, metrics),
          ),
        )
    : [];
  // variant → subject → metric → Σ value.
  const sums = new Map<string, Map<string, Map<string, number>>>();
  for (const r of rows) {
    const bySubject = sums.get(r.variant) ?? new Map<string, Map<string, number>>();
    const byMetric = bySubject.get(r.subject) ?? new Map<string, number>();
    byMetric.set(r.metric, (byMetric.get(r.metric) ?? 0) + r.sum);
    bySubject.set(r.subject, byMetric);
    sums.set(r.variant, bySubject);
  }
  return ratios.map((r) => {
    const goal = ratioGoal(r);
    const arms = ctx.variants.map((variant) => {
      const m = emptyRatioMoments();
      for (const byMetric of sums.get(variant)?.values() ?? []) {
        const x = byMetric.get(r.numerator);
        const y = byMetric.get(r.denominator);
        if (x !== undefined || y !== undefined) addRatioSubject(m, { x: x ?? 0, y: y ?? 0 });
      }
      return { variant, ...ratioArm(m) };
    });
    const method = ctx.fixedReady ? ("fixed" as const) : ("sequential" as const);
    const comparisons = arms.slice(1).map((arm) => ({
      variant: arm.variant,
      ...compareRatios(arms[0]!, arm, { method, alpha: ctx.alpha, plannedTotal: ctx.plannedTotal, goal }),
    }));
    return { name: r.name, numerator: r.numerator, denominator: r.denominator, goal, arms, comparisons };
  });
}
