// Sample ratio mismatch: exposures that do not follow the planned weights mean assignment or logging is
// broken, and every metric comparison is suspect.
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
