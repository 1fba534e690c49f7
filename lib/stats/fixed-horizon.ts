// Fixed-horizon tests, valid once, at the pre-registered sample size: Pearson χ² on the 2×2 table for
// binary metrics, Welch's t-test for continuous ones. Distributions come from @stdlib (no hand-written CDFs).
import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { mean, sampleVariance, type SufficientStats } from "./summary";

/** Outcome of a two-sample test of treatment against control. */
export interface FixedTestResult {
  /** χ² (1 df) for the proportion test, t for Welch. */
  statistic: number;
  /** Welch–Satterthwaite degrees of freedom; 1 for χ². */
  df: number;
  /** Two-sided p-value. */
  pValue: number;
  meanControl: number;
  meanTreatment: number;
  /** meanTreatment − meanControl (absolute, in the metric's unit). */
  difference: number;
  /** Standard error of the difference (unpooled), the one the CI uses. */
  standardError: number;
  /** Two-sided (1 − alpha) CI of the difference. */
  ci: [number, number];
}

/**
 * Pearson's χ² test without continuity correction on the 2×2 table
 * [[successes, failures] per arm], where successes = Σ of the per-subject values (0/1). Equal to the
 * two-sided two-proportion z test with pooled variance (χ² = z²); same as R
 * `prop.test(x, n, correct = FALSE)` and scipy `chi2_contingency(table, correction=False)`.
 * The CI of the difference is the unpooled Wald interval p_T − p_C ± z₁₋α/₂·√(p_C(1−p_C)/n_C + p_T(1−p_T)/n_T)
 * (R prop.test's interval with correct = FALSE).
 * Returns null when an arm has no subjects or the pooled rate is 0 or 1 (no events, or only events: the
 * test is undefined because an expected cell is 0).
 */
export function twoProportionTest(
  control: SufficientStats,
  treatment: SufficientStats,
  alpha = 0.05,
): FixedTestResult | null {
  const pC = mean(control);
  const pT = mean(treatment);
  if (pC === null || pT === null) return null;
  const pooled = (control.sum + treatment.sum) / (control.n + treatment.n);
  const pooledVar = pooled * (1 - pooled) * (1 / control.n + 1 / treatment.n);
  if (!(pooledVar > 0)) return null;
  const difference = pT - pC;
  const statistic = (difference * difference) / pooledVar;
  const se = Math.sqrt(Math.max(0, pC * (1 - pC)) / control.n + Math.max(0, pT * (1 - pT)) / treatment.n);
  const z = normalQuantile(1 - alpha / 2, 0, 1);
  return {
    statistic,
    df: 1,
    pValue: 1 - chisquareCdf(statistic, 1),
    meanControl: pC,
    meanTreatment: pT,
    difference,
    standardError: se,
    ci: [difference - z * se, difference + z * se],
  };
}

/** Welch–Satterthwaite degrees of freedom for variances-of-the-mean a = s_C²/n_C and b = s_T²/n_T. */
export function welchDf(a: number, nC: number, b: number, nT: number): number {
  return (a + b) ** 2 / ((a * a) / (nC - 1) + (b * b) / (nT - 1));
}

/**
 * Welch's two-sample t-test (unequal variances), t = (x̄_T − x̄_C)/√(s_C²/n_C + s_T²/n_T) with
 * Welch–Satterthwaite df; same as R `t.test(t, c)` and scipy `ttest_ind(t, c, equal_var=False)`.
 * CI: difference ± t₁₋α/₂,df · se.
 * Returns null when an arm has fewer than 2 subjects (no variance estimate) or both arms have zero
 * variance (every subject has the same value: the t statistic would be 0/0 or infinite).
 */
export function welchTTest(control: SufficientStats, treatment: SufficientStats, alpha = 0.05): FixedTestResult | null {
  const vC = sampleVariance(control);
  const vT = sampleVariance(treatment);
  if (vC === null || vT === null) return null;
  const a = vC / control.n;
  const b = vT / treatment.n;
  if (!(a + b > 0)) return null;
  const meanControl = control.sum / control.n;
  const meanTreatment = treatment.sum / treatment.n;
  const difference = meanTreatment - meanControl;
  const se = Math.sqrt(a + b);
  const statistic = difference / se;
  const df = welchDf(a, control.n, b, treatment.n);
  const q = tQuantile(1 - alpha / 2, df);
  return {
    statistic,
    df,
    // Both tails from the lower one: 1 − cdf(|t|) would lose digits for small p.
    pValue: Math.min(1, 2 * tCdf(-Math.abs(statistic), df)),
    meanControl,
    meanTreatment,
    difference,
    standardError: se,
    ci: [difference - q * se, difference + q * se],
  };
}
