// CUPED beside each comparison of the results: the same rules as analyze.ts (method per metric, no
// significance before the fixed horizon), applied to each arm's covariate moments (results.ts reads them from the aggregates). On the
// primary metric the adjusted comparison, when present, is the one that decides (decidingComparison).
import type { MetricComparison } from "../../stats/compare";
import { cupedFromMoments, emptyCupedMoments } from "../../stats/cuped";
import type { CovariateMoments } from "./covariates";

/** The CUPED-adjusted numbers shown beside a metric comparison (additive to MetricComparison). */
export type AdjustedComparison = Pick<
  MetricComparison,
  "lift" | "ci" | "difference" | "differenceCi" | "pValue" | "significant"
> & {
  /** Percent: 100 · (1 − adjusted variance of the difference / unadjusted variance). */
  varianceReduction: number;
  covariate: { metric: string; theta: number; subjects: number; subjectsWithHistory: number };
  lookbackDays: number;
};

/** A comparison with `adjusted`, or `adjustedReason` in plain words when CUPED cannot apply. */
export type ComparisonWithAdjusted = MetricComparison & { adjusted?: AdjustedComparison; adjustedReason?: string };

/**
 * The comparison a decision reads: the CUPED-adjusted one whenever it applies, else the unadjusted one.
 * Fixed by whether CUPED can apply, never by which of the two is significant, so it adds no second chance.
 */
export function decidingComparison(
  c: ComparisonWithAdjusted,
): Pick<MetricComparison, "lift" | "ci" | "difference" | "differenceCi" | "pValue" | "significant"> {
  return c.adjusted ?? c;
}

export type AdjustContext = {
  control: string;
  mode: "fixed" | "sequential" | "bandit";
  /** Fixed mode and every arm has its planned sample. */
  fixedReady: boolean;
  alpha: number;
  plannedTotal: number;
  /** The primary metric's name: its adjusted comparison decides (null: every metric read as a guardrail). */
  primary: string | null;
  lookbackDays: number;
  /** Metrics whose pairs were read (default all); the others say they were not adjusted in this view. */
  only?: readonly string[];
};

export function withAdjusted(
  comparisons: readonly { variant: string; metrics: Record<string, MetricComparison> }[],
  moments: CovariateMoments,
  ctx: AdjustContext,
): { variant: string; metrics: Record<string, ComparisonWithAdjusted> }[] {
  return comparisons.map((c) => ({
    variant: c.variant,
    metrics: Object.fromEntries(
      Object.entries(c.metrics).map(([name, given]): [string, ComparisonWithAdjusted] => {
        // An adjustment already there (another look-back's) is replaced, never left beside a reason.
        const { adjusted: _adjusted, adjustedReason: _reason, ...m } = given as ComparisonWithAdjusted;
        if (ctx.only && !ctx.only.includes(name))
          return [name, { ...m, adjustedReason: "not adjusted in this view (only the primary metric, which decides)" }];
        const isPrimary = name === ctx.primary;
        const fixed = isPrimary ? ctx.mode === "fixed" : ctx.fixedReady;
        const r = cupedFromMoments(
          [ctx.control, c.variant].map((k) => moments.get(k)?.get(name) ?? emptyCupedMoments()),
          {
            method: fixed ? "fixed" : "sequential",
            alpha: ctx.alpha,
            plannedTotal: ctx.plannedTotal,
          },
        );
        if (!r.ok) return [name, { ...m, adjustedReason: r.reason }];
        const a = r.comparisons[0]!;
        if (a.difference === null) return [name, { ...m, adjustedReason: a.note ?? "not computable" }];
        const adjusted: AdjustedComparison = {
          lift: a.lift,
          ci: a.ci,
          difference: a.difference,
          differenceCi: a.differenceCi,
          pValue: a.pValue,
          // Fixed horizon: nothing is called significant before the planned sample (as unadjusted).
          significant: isPrimary && ctx.mode === "fixed" && !ctx.fixedReady ? false : a.significant,
          varianceReduction: a.varianceReduction,
          covariate: {
            metric: name,
            theta: r.theta,
            subjects: r.arms.reduce((n, x) => n + x.n, 0),
            subjectsWithHistory: r.arms.reduce((n, x) => n + x.withHistory, 0),
          },
          lookbackDays: ctx.lookbackDays,
        };
        return [name, { ...m, adjusted }];
      }),
    ),
  }));
}

/** A guardrail as a guarded rollout reads it: the comparison used, and the CUPED variance reduction when adjusted. */
export type GuardrailReading = Pick<MetricComparison, "lift" | "ci" | "difference" | "pValue"> & {
  cuped: { varianceReduction: number } | null;
};

/**
 * A guarded rollout's guardrails of one variant (analyze's cupedGuardrails): each one's CUPED-adjusted
 * comparison wherever CUPED applies to that metric (the same rule and estimator as the primary metric's, with
 * the guardrail's own method), else its unadjusted one. Fixed by whether CUPED applies, never by which reads
 * worse, so Holm over the result is as honest as over the unadjusted comparisons.
 */
export function guardrailReadings(
  variant: string,
  guards: readonly { name: string; comparison: MetricComparison }[],
  cov: { moments: CovariateMoments; lookbackDays: number; only?: readonly string[] },
  ctx: Omit<AdjustContext, "primary" | "lookbackDays" | "only">,
): GuardrailReading[] {
  const metrics = Object.fromEntries(guards.map((g) => [g.name, g.comparison]));
  const [adjusted] = withAdjusted([{ variant, metrics }], cov.moments, {
    ...ctx,
    primary: null,
    lookbackDays: cov.lookbackDays,
    only: cov.only,
  });
  return guards.map((g) => {
    const c = adjusted!.metrics[g.name]!;
    const used = c.adjusted ?? g.comparison;
    return {
      lift: used.lift,
      ci: used.ci,
      difference: used.difference,
      pValue: used.pValue,
      cuped: c.adjusted ? { varianceReduction: c.adjusted.varianceReduction } : null,
    };
  });
}
