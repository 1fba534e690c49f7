// One treatment arm against the control on one metric: the numbers a results row shows. Used by analyze
// and by the A/A simulation, so the simulation checks exactly the decision the dashboard makes.
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { twoProportionTest, welchTTest } from "./fixed-horizon";
import { liftInterval, logRatio, relativeLift, type Estimate } from "./lift";
import { DEFAULT_PLANNED_TOTAL, sequentialTest } from "./sequential";
import { mean, metricVariance, type MetricKind, type SufficientStats } from "./summary";

export type Goal = "increase" | "decrease";

export interface CompareOptions {
  kind: MetricKind;
  /** fixed: χ² / Welch, valid at the planned horizon only; sequential: confidence sequence, valid at every look. */
  method: "fixed" | "sequential";
  /** Two-sided significance level, default 0.05. */
  alpha?: number;
  /** N* for the sequence: planned subjects over all arms; default 5000. Ignored by fixed. */
  plannedTotal?: number;
}

export interface MetricComparison {
  /** Relative lift (μ_T − μ_C)/μ_C, 0.123 = +12.3%; null when a mean is ≤ 0 or nothing is testable. */
  lift: number | null;
  /**
   * (1 − α) CI of the lift (fixed) or confidence sequence (sequential), computed on ln(μ_T/μ_C) and mapped
   * back, so it is never below −1 (−100%); null with lift.
   */
  ci: [number, number] | null;
  /** Absolute difference μ_T − μ_C in the metric's unit. */
  difference: number | null;
  differenceCi: [number, number] | null;
  /** Two-sided p-value (fixed) or always-valid p-value (sequential). */
  pValue: number | null;
  /**
   * fixed: pValue < alpha; sequential: the sequence (of ln(μ_T/μ_C), or of the difference when lift is null)
   * excludes 0, i.e. exactly when the interval shown excludes 0.
   */
  significant: boolean;
  /** Test statistic and df of the fixed test (χ² with 1 df, or Welch t); null in sequential mode. */
  statistic: number | null;
  df: number | null;
  /** Why numbers are missing, in plain words; null when everything was computed. */
  note: string | null;
}

/** A comparison with nothing computable, and why. */
export const emptyComparison = (note: string): MetricComparison => ({
  lift: null,
  ci: null,
  difference: null,
  differenceCi: null,
  pValue: null,
  significant: false,
  statistic: null,
  df: null,
  note,
});

/** estimate ± q·√variance. */
export const around = (e: Estimate, q: number): [number, number] => [
  e.estimate - q * Math.sqrt(e.variance),
  e.estimate + q * Math.sqrt(e.variance),
];

export const NO_LIFT = "relative lift is undefined because a mean is 0 or negative; showing the absolute difference";

/**
 * The sequential reading of a difference and (when defined) a relative lift: confidence sequences over
 * `total` subjects, the lift's on ln(μ_T/μ_C) (`logLift`), decided on it, else on the difference. Shared by
 * compareArms and the ratio metrics (ratio.ts), so both follow one rule.
 */
export function sequentialComparison(
  diff: Estimate,
  logLift: Estimate | null,
  total: number,
  options: Pick<CompareOptions, "alpha" | "plannedTotal">,
): MetricComparison {
  const alpha = options.alpha ?? 0.05;
  const plannedTotal = options.plannedTotal ?? DEFAULT_PLANNED_TOTAL;
  const d = sequentialTest(diff.estimate, diff.variance, total, alpha, plannedTotal)!;
  const l = logLift ? sequentialTest(logLift.estimate, logLift.variance, total, alpha, plannedTotal)! : null;
  const decisive = l ?? d;
  return {
    lift: logLift ? Math.expm1(logLift.estimate) : null,
    ci: l ? liftInterval(l.ci) : null,
    difference: diff.estimate,
    differenceCi: d.ci,
    pValue: decisive.pValue,
    significant: decisive.significant,
    statistic: null,
    df: null,
    note: logLift ? null : NO_LIFT,
  };
}

/**
 * Compares `treatment` with `control` (sufficient statistics of per-subject values). Never returns NaN or
 * Infinity: what cannot be computed is null with a `note` — an empty arm, fewer than 2 subjects for a
 * continuous metric, no variation at all (e.g. no conversions in either arm), or a mean ≤ 0 (lift only;
 * the difference is still given).
 */
export function compareArms(
  control: SufficientStats,
  treatment: SufficientStats,
  options: CompareOptions,
): MetricComparison {
  const { kind, method } = options;
  const alpha = options.alpha ?? 0.05;
  const mC = mean(control);
  const mT = mean(treatment);
  const vC = metricVariance(control, kind);
  const vT = metricVariance(treatment, kind);
  if (mC === null || mT === null)
    return emptyComparison("no subject in one of the arms has a value for this metric yet");
  if (vC === null || vT === null)
    return emptyComparison("at least 2 subjects per arm are needed to estimate the variance");
  const diff: Estimate = { estimate: mT - mC, variance: vC / control.n + vT / treatment.n };
  if (!(diff.variance > 0))
    return emptyComparison("no variation in this metric yet (every subject has the same value)");
  const armC = { mean: mC, variance: vC, n: control.n };
  const armT = { mean: mT, variance: vT, n: treatment.n };
  const log = logRatio(armC, armT);

  if (method === "sequential") return sequentialComparison(diff, log, control.n + treatment.n, { ...options, alpha });

  const test = kind === "binary" ? twoProportionTest(control, treatment, alpha) : welchTTest(control, treatment, alpha);
  if (!test) return emptyComparison("no variation in this metric yet (every subject has the same value)");
  // Same quantile as the test: z for proportions, Welch's t for means (as gbstats does for the lift CI).
  const q = kind === "binary" ? normalQuantile(1 - alpha / 2, 0, 1) : tQuantile(1 - alpha / 2, test.df);
  return {
    lift: log && relativeLift(armC, armT)!.estimate,
    ci: log ? liftInterval(around(log, q)) : null,
    difference: test.difference,
    differenceCi: test.ci,
    pValue: test.pValue,
    significant: test.pValue < alpha,
    statistic: test.statistic,
    df: test.df,
    note: log ? null : NO_LIFT,
  };
}
