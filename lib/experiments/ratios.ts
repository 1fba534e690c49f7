// Ratio metrics of an experiment's results (cost per completed task, tokens per thumbs-up): per arm
// Σ numerator / Σ denominator, compared with the delta method (lib/stats/ratio.ts). Reads the per-arm moments
// of the subjects' sums that ingest keeps for the experiment's ratios (experiment_ratio_stats, analysis/ratio-stats.ts).
// Secondary: like guardrails they are read with confidence sequences until a fixed test has its planned
// sample, and they never decide the experiment.
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { experimentRatioStats } from "../../db/schema";
import type { MetricComparison } from "../stats/compare";
import { compareRatios, emptyRatioMoments, ratioArm, type RatioArm, type RatioMoments } from "../stats/ratio";
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
 * Each ratio per arm, from the moments ingest keeps (analysis/ratio-stats.ts): `scope` is the experiment's current phase,
 * or 0 for a bandit (its phases together). A subject with values of only one of the two counts 0 for the other
 * (it was exposed and did not complete a task, say). O(arms × ratios) rows, whatever the number of subjects.
 */
export async function ratioResults(
  db: Db,
  experimentId: string,
  scope: number,
  ratios: readonly RatioMetric[],
  ctx: RatioContext,
): Promise<RatioResult[]> {
  if (!ratios.length) return [];
  const rows = await db
    .select()
    .from(experimentRatioStats)
    .where(and(eq(experimentRatioStats.experimentId, experimentId), eq(experimentRatioStats.scope, scope)));
  const moments = (variant: string, ratio: string): RatioMoments => {
    const r = rows.find((x) => x.variantKey === variant && x.ratio === ratio);
    return r
      ? { n: Number(r.n), sumX: r.sumX, sumY: r.sumY, sumXX: r.sumXX, sumYY: r.sumYY, sumXY: r.sumXY }
      : emptyRatioMoments();
  };
  return ratios.map((r) => {
    const goal = ratioGoal(r);
    const arms = ctx.variants.map((variant) => ({ variant, ...ratioArm(moments(variant, r.name)) }));
    const method = ctx.fixedReady ? ("fixed" as const) : ("sequential" as const);
    const comparisons = arms.slice(1).map((arm) => ({
      variant: arm.variant,
      ...compareRatios(arms[0]!, arm, { method, alpha: ctx.alpha, plannedTotal: ctx.plannedTotal }),
    }));
    return { name: r.name, numerator: r.numerator, denominator: r.denominator, goal, arms, comparisons };
  });
}
