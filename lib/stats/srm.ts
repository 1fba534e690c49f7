// Sample ratio mismatch: exposures that do not follow the planned weights mean assignment or logging is
// broken, and every metric comparison is suspect.
import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import chi2gof from "@stdlib/stats-chi2gof";

/** Below this p-value the split is flagged (GrowthBook, research note). */
export const SRM_THRESHOLD = 0.001;
/** Minimum subjects in every arm before the check runs (too few and χ² is unreliable). */
export const SRM_MIN_PER_ARM = 8;

export interface SrmResult {
  /** χ² goodness-of-fit p-value; null when not checked (an arm has < 8 subjects, or < 2 arms). */
  pValue: number | null;
  /** false only when checked and pValue < threshold. */
  ok: boolean;
}

/**
 * Pearson χ² goodness of fit of observed subject counts per arm against planned weights (any positive
 * scale; normalised here). Counts are non-negative integers in variant order. Arms with weight 0 are left
 * out when they received no subjects; one that did receive subjects is a mismatch by definition.
 */
export function srmCheck(counts: readonly number[], weights: readonly number[], threshold = SRM_THRESHOLD): SrmResult {
  if (counts.length !== weights.length) throw new RangeError("counts and weights must have the same length");
  const obs: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < counts.length; i++) {
    if (weights[i]! > 0) {
      obs.push(counts[i]!);
      w.push(weights[i]!);
    } else if (counts[i]! > 0) {
      return { pValue: 0, ok: false };
    }
  }
  if (obs.length < 2 || obs.some((c) => c < SRM_MIN_PER_ARM)) return { pValue: null, ok: true };
  const total = obs.reduce((a, b) => a + b, 0);
  const wSum = w.reduce((a, b) => a + b, 0);
  // Expected counts rather than probabilities: stdlib reads the second argument as probabilities only
  // when it sums to 1 within √ε, which rounded weights (0.33 × 3) would miss.
  const expected = w.map((x) => (x / wSum) * total);
  const { pValue } = chi2gof(obs, expected);
  return { pValue, ok: !(pValue < threshold) };
}

/** One stratum of srmByShare: the subjects that arrived under one split, per arm, and that split's weights. */
export interface ShareStratum {
  counts: readonly number[];
  weights: readonly number[];
}

/** srmByShare's answer: the check, and each arm's subjects against what the splits in force expected. */
export interface ShareSrmResult extends SrmResult {
  observed: number[];
  expected: number[];
}

/**
 * Sample ratio mismatch when the planned split changed over time (a guarded rollout's steps): each subject counts
 * once, in the stratum it arrived in, where it was assigned with that stratum's weights. The arm's count is then a
 * sum of independent binomials, whose mean and variance are the strata's sums: z² = (O − Σ nₖpₖ)² / Σ nₖpₖ(1 − pₖ),
 * χ² with 1 df. With one stratum this is Pearson's χ² of srmCheck. A ramp's own split is never a mismatch; an
 * assignment that favours one arm is. Two arms only (a rollout's live and new); the same minimum of subjects per
 * arm as srmCheck, and subjects in an arm weighted 0 where they arrived are a mismatch by definition.
 */
export function srmByShare(strata: readonly ShareStratum[], threshold = SRM_THRESHOLD): ShareSrmResult {
  let observed = [0, 0];
  let expected = [0, 0];
  let variance = 0;
  let impossible = false;
  for (const s of strata) {
    if (s.counts.length !== 2 || s.weights.length !== 2) throw new RangeError("srmByShare compares two arms");
    const n = s.counts[0]! + s.counts[1]!;
    const w = s.weights[0]! + s.weights[1]!;
    if (n === 0) continue;
    if (!(w > 0)) throw new RangeError("a stratum's weights must not all be 0");
    const p = s.weights[1]! / w;
    observed = [observed[0]! + s.counts[0]!, observed[1]! + s.counts[1]!];
    expected = [expected[0]! + n * (1 - p), expected[1]! + n * p];
    variance += n * p * (1 - p);
    if ((p === 0 && s.counts[1]! > 0) || (p === 1 && s.counts[0]! > 0)) impossible = true;
  }
  if (impossible) return { pValue: 0, ok: false, observed, expected };
  if (observed.some((c) => c < SRM_MIN_PER_ARM) || !(variance > 0))
    return { pValue: null, ok: true, observed, expected };
  const z2 = (observed[1]! - expected[1]!) ** 2 / variance;
  const pValue = 1 - chisquareCdf(z2, 1);
  return { pValue, ok: !(pValue < threshold), observed, expected };
}
