// Always-valid inference for dashboards that are looked at every day: the asymptotic confidence sequence
// of Waudby-Smith et al. (arXiv 2103.06476, eq. 9), as GrowthBook computes it (gbstats sequential). With
// probability ≥ 1 − α the sequence covers the true effect at every sample size simultaneously, so stopping
// at the first look where it excludes 0 keeps the false-positive rate at α (the A/A simulation checks this).

/** GrowthBook's default for N* (planned total sample) when no plan exists. */
export const DEFAULT_PLANNED_TOTAL = 5000;

/**
 * Mixing parameter ρ that makes the sequence tightest at N* total subjects:
 * ρ = √((−2 ln α + ln(−2 ln α + 1))/N*). alpha in (0, 1); plannedTotal > 0 (subjects over all arms).
 */
export function sequentialRho(alpha: number, plannedTotal = DEFAULT_PLANNED_TOTAL): number {
  const l = -2 * Math.log(alpha);
  return Math.sqrt((l + Math.log(l + 1)) / plannedTotal);
}

/**
 * Half-width of the (1 − α) confidence sequence for an estimator with variance `variance` (e.g. the
 * squared standard error of a difference or of a relative lift) after `n` subjects in total:
 * halfwidth = σ̂·√N·√(2(Nρ²+1)/(N²ρ²)·ln(√(Nρ²+1)/α)) with σ̂ = √variance and N = n.
 * n ≤ 0 → null (no data, no interval); variance 0 → 0.
 */
export function csHalfwidth(
  variance: number,
  n: number,
  alpha: number,
  plannedTotal = DEFAULT_PLANNED_TOTAL,
): number | null {
  if (!(n > 0)) return null;
  const rho2 = sequentialRho(alpha, plannedTotal) ** 2;
  const a = n * rho2 + 1;
  const width = ((2 * a) / (n * n * rho2)) * Math.log(Math.sqrt(a) / alpha);
  return Math.sqrt(Math.max(0, variance) * n) * Math.sqrt(width);
}

/**
 * Always-valid p-value matching csHalfwidth: the smallest α' at which the sequence (with ρ tuned for the
 * design `alpha`) excludes 0, p = min(1, √(Nρ²+1)·exp(−z²·Nρ²/(2(Nρ²+1)))) with z² = estimate²/variance.
 * This is 1/Λ for the normal-mixture likelihood ratio Λ, so p ≤ alpha exactly when the CS excludes 0.
 * It is the value at this look; the running minimum over looks is also valid (a dashboard may show it).
 * n ≤ 0 → 1; variance 0 → 0 when estimate ≠ 0, else 1.
 */
export function alwaysValidPValue(
  estimate: number,
  variance: number,
  n: number,
  alpha: number,
  plannedTotal = DEFAULT_PLANNED_TOTAL,
): number {
  if (!(n > 0)) return 1;
  if (!(variance > 0)) return estimate === 0 ? 1 : 0;
  const nr2 = n * sequentialRho(alpha, plannedTotal) ** 2;
  const z2 = (estimate * estimate) / variance;
  return Math.min(1, Math.sqrt(nr2 + 1) * Math.exp((-z2 * nr2) / (2 * (nr2 + 1))));
}

/** A confidence sequence at one look. */
export interface SequentialResult {
  estimate: number;
  halfwidth: number;
  ci: [number, number];
  pValue: number;
  /** The sequence excludes 0 (equivalently pValue ≤ alpha). */
  significant: boolean;
}

/**
 * Confidence sequence for `estimate` (variance `variance`) after `n` subjects in total over all arms:
 * interval, always-valid p-value and whether it excludes 0. null when n ≤ 0.
 */
export function sequentialTest(
  estimate: number,
  variance: number,
  n: number,
  alpha: number,
  plannedTotal = DEFAULT_PLANNED_TOTAL,
): SequentialResult | null {
  const halfwidth = csHalfwidth(variance, n, alpha, plannedTotal);
  if (halfwidth === null) return null;
  const lo = estimate - halfwidth;
  const hi = estimate + halfwidth;
  return {
    estimate,
    halfwidth,
    ci: [lo, hi],
    pValue: alwaysValidPValue(estimate, variance, n, alpha, plannedTotal),
    significant: lo > 0 || hi < 0,
  };
}
