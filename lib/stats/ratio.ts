// Ratio metrics (cost per completed task, tokens per thumbs-up): Σ numerator / Σ denominator over an arm's
// subjects. The subject stays the unit of randomisation, so the variance comes from the per-subject sums
// (x, y) by the delta method (Deng, Knoblich & Lu, KDD 2018; GrowthBook's gbstats ratio metrics):
//   R = x̄ / ȳ,  Var(R) ≈ (s_xx − 2R·s_xy + R²·s_yy) / (n·ȳ²)
// with s the sample (co)variances (n − 1). Treating each event as independent instead would understate the
// variance whenever one subject's events are correlated (they are: a heavy user is heavy in both sums).
// Comparisons use the normal approximation (z for a fixed horizon, the confidence sequence of compare.ts
// for sequential mode); the relative lift's interval is the delta method on ln(R_T/R_C) (lift.ts), as for
// any other metric.
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import {
  around,
  emptyComparison,
  NO_LIFT,
  sequentialComparison,
  type CompareOptions,
  type MetricComparison,
} from "./compare";
import { liftInterval, logRatio, relativeLift, type Estimate } from "./lift";

/** One subject's sums of the numerator's and the denominator's values. */
export interface RatioSubject {
  x: number;
  y: number;
}

/** An arm of a ratio metric: Σx, Σy over n subjects, the ratio and the delta-method variance of it. */
export interface RatioArm {
  n: number;
  numerator: number;
  denominator: number;
  /** Σx / Σy; null when Σy is 0 (or negative: a ratio of a negative total reads backwards). */
  ratio: number | null;
  /** Var(R) by the delta method; null with ratio, or with fewer than 2 subjects. */
  variance: number | null;
}

/** Sums and co-moments accumulated subject by subject (the form the results read from the database). */
export interface RatioMoments {
  n: number;
  sumX: number;
  sumY: number;
  sumXX: number;
  sumYY: number;
  sumXY: number;
}

export const emptyRatioMoments = (): RatioMoments => ({ n: 0, sumX: 0, sumY: 0, sumXX: 0, sumYY: 0, sumXY: 0 });

/** Adds one subject to `m` (in place) and returns it. Non-finite sums throw RangeError. */
export function addRatioSubject(m: RatioMoments, s: RatioSubject): RatioMoments {
  if (!Number.isFinite(s.x) || !Number.isFinite(s.y)) throw new RangeError("ratio: sums must be finite numbers");
  m.n++;
  m.sumX += s.x;
  m.sumY += s.y;
  m.sumXX += s.x * s.x;
  m.sumYY += s.y * s.y;
  m.sumXY += s.x * s.y;
  return m;
}

/** The arm's ratio and its delta-method variance from its moments. */
export function ratioArm(m: RatioMoments): RatioArm {
  const base = { n: m.n, numerator: m.sumX, denominator: m.sumY };
  if (!(m.sumY > 0)) return { ...base, ratio: null, variance: null };
  const ratio = m.sumX / m.sumY;
  if (m.n < 2) return { ...base, ratio, variance: null };
  const meanY = m.sumY / m.n;
  const sxx = (m.sumXX - (m.sumX * m.sumX) / m.n) / (m.n - 1);
  const syy = (m.sumYY - (m.sumY * m.sumY) / m.n) / (m.n - 1);
  const sxy = (m.sumXY - (m.sumX * m.sumY) / m.n) / (m.n - 1);
  const v = (sxx - 2 * ratio * sxy + ratio * ratio * syy) / (m.n * meanY * meanY);
  // Cancellation can leave a hair below 0 when x is exactly proportional to y.
  return { ...base, ratio, variance: v > 0 ? v : 0 };
}

/** ratioArm of raw per-subject sums (tests, simulations). */
export const ratioOf = (subjects: readonly RatioSubject[]) =>
  ratioArm(subjects.reduce(addRatioSubject, emptyRatioMoments()));

/**
 * Compares the treatment's ratio with the control's. Never returns NaN: what cannot be computed is null with
 * a note (an arm whose denominator is 0, fewer than 2 subjects, no variation at all).
 */
export function compareRatios(
  control: RatioArm,
  treatment: RatioArm,
  options: Omit<CompareOptions, "kind">,
): MetricComparison {
  const alpha = options.alpha ?? 0.05;
  if (control.ratio === null || treatment.ratio === null)
    return emptyComparison("the denominator is 0 in one of the arms, so its ratio is undefined");
  if (control.variance === null || treatment.variance === null)
    return emptyComparison("at least 2 subjects per arm are needed to estimate the variance");
  const diff: Estimate = { estimate: treatment.ratio - control.ratio, variance: control.variance + treatment.variance };
  if (!(diff.variance > 0))
    return emptyComparison("no variation in this ratio yet (every subject has the same numerator and denominator)");
  // logRatio and relativeLift take a per-subject variance and n; n·Var(R) is the ratio's per-subject variance.
  const armC = { mean: control.ratio, variance: control.variance * control.n, n: control.n };
  const armT = { mean: treatment.ratio, variance: treatment.variance * treatment.n, n: treatment.n };
  const log = logRatio(armC, armT);
  const lift = log && relativeLift(armC, armT);
  if (options.method === "sequential")
    return sequentialComparison(diff, log, control.n + treatment.n, { ...options, alpha });

  const z = diff.estimate / Math.sqrt(diff.variance);
  const q = normalQuantile(1 - alpha / 2, 0, 1);
  const pValue = 2 * (1 - normalCdf(Math.abs(z), 0, 1));
  return {
    lift: lift?.estimate ?? null,
    ci: log ? liftInterval(around(log, q)) : null,
    difference: diff.estimate,
    differenceCi: around(diff, q),
    pValue,
    significant: pValue < alpha,
    statistic: z,
    df: null,
    note: lift ? null : NO_LIFT,
  };
}
