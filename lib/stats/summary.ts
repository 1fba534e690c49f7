// Sufficient statistics of one arm for one metric, and what can be read off them. The unit is the
// subject: each subject contributes one value (0/1 for a binary metric, or the mean of its events), so
// results read O(arms × buckets) aggregate rows and never the raw events.

/** Per-arm aggregate over subjects: count, Σx and Σx² of the per-subject values. */
export interface SufficientStats {
  n: number;
  sum: number;
  sumSq: number;
}

/** binary: per-subject value in [0, 1] (0/1, or the subject's share of positive events); continuous: any real. */
export type MetricKind = "binary" | "continuous";

/** Adds sufficient statistics (e.g. time buckets or phases) together. */
export function combine(...parts: readonly SufficientStats[]): SufficientStats {
  const out = { n: 0, sum: 0, sumSq: 0 };
  for (const p of parts) {
    out.n += p.n;
    out.sum += p.sum;
    out.sumSq += p.sumSq;
  }
  return out;
}

/** Sufficient statistics of raw per-subject values (tests, simulations and small back-fills). */
export function fromValues(values: readonly number[]): SufficientStats {
  let sum = 0;
  let sumSq = 0;
  for (const v of values) {
    sum += v;
    sumSq += v * v;
  }
  return { n: values.length, sum, sumSq };
}

/** Mean per subject; null when n = 0. */
export function mean(s: SufficientStats): number | null {
  return s.n > 0 ? s.sum / s.n : null;
}

/**
 * Unbiased sample variance (n − 1 denominator); null when n < 2. Computed as (Σx² − (Σx)²/n)/(n − 1),
 * which can dip a hair below 0 through cancellation when all values are equal: clamped at 0.
 */
export function sampleVariance(s: SufficientStats): number | null {
  if (s.n < 2) return null;
  const v = (s.sumSq - (s.sum * s.sum) / s.n) / (s.n - 1);
  return v > 0 ? v : 0;
}

/**
 * Per-subject variance used by the tests of a metric of this kind:
 * - binary → p(1 − p) with p the mean (the Bernoulli variance the χ² / z test assumes; for subjects
 *   whose value is a share in (0, 1) it overstates the variance, i.e. is conservative); null when n = 0;
 * - continuous → sampleVariance (null when n < 2).
 */
export function metricVariance(s: SufficientStats, kind: MetricKind): number | null {
  if (kind === "continuous") return sampleVariance(s);
  const p = mean(s);
  return p === null ? null : Math.max(0, p * (1 - p));
}

/** What the results API shows per arm and metric: n, mean and sample sd (null when not defined). */
export function describeArm(s: SufficientStats): { n: number; mean: number | null; sd: number | null } {
  const v = sampleVariance(s);
  return { n: s.n, mean: mean(s), sd: v === null ? null : Math.sqrt(v) };
}
