// Relative lift: its estimate, the interval shown for it (on the log of the ratio, so it never leaves the
// metric's range), and the Bayesian "chance to win" read off its delta-method variance.
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";

/** Mean, per-subject variance and subject count of one arm (see summary.metricVariance). */
export interface ArmMoments {
  mean: number;
  variance: number;
  n: number;
}

/** A point estimate with the variance of the estimator. */
export interface Estimate {
  estimate: number;
  variance: number;
}

/**
 * Relative lift Δr = (μ_T − μ_C)/μ_C with the delta-method variance
 * Var = σ_C²·μ_T²/(μ_C⁴·n_C) + σ_T²/(μ_C²·n_T) (research note; GrowthBook gbstats).
 * Returns null when the control mean is ≤ 0: with μ_C = 0 the ratio is undefined, and with μ_C < 0 its
 * sign reads backwards (an improvement from −10 to −5 would be "−50%"); callers fall back to the absolute
 * difference and say why. Also null when an arm has no subjects.
 */
export function relativeLift(control: ArmMoments, treatment: ArmMoments): Estimate | null {
  const { mean: mC, variance: vC, n: nC } = control;
  const { mean: mT, variance: vT, n: nT } = treatment;
  if (!(mC > 0) || !(nC > 0) || !(nT > 0)) return null;
  return {
    estimate: (mT - mC) / mC,
    variance: (vC * mT * mT) / (mC ** 4 * nC) + vT / (mC * mC * nT),
  };
}

/**
 * ln(μ_T/μ_C) with the delta-method variance σ_T²/(n_T·μ_T²) + σ_C²/(n_C·μ_C²) (Var(ln x̄) ≈ Var(x̄)/x̄²).
 * The interval of a relative lift is read on this scale and mapped back by e^x − 1 (liftInterval): the
 * linear delta-method interval around (μ_T − μ_C)/μ_C is symmetric, so with a small or noisy control it
 * reaches below −100%, a fall no rate, count or cost can have. On the log scale the interval is
 * asymmetric, as the ratio of two positive means is, and its lower end is always above −100%.
 * null unless both means are > 0 (the ratio of a zero or negative mean has no logarithm; callers then
 * show the absolute difference and say why), or an arm has no subjects.
 */
export function logRatio(control: ArmMoments, treatment: ArmMoments): Estimate | null {
  const { mean: mC, variance: vC, n: nC } = control;
  const { mean: mT, variance: vT, n: nT } = treatment;
  if (!(mC > 0) || !(mT > 0) || !(nC > 0) || !(nT > 0)) return null;
  return { estimate: Math.log(mT / mC), variance: vT / (nT * mT * mT) + vC / (nC * mC * mC) };
}

/** An interval [lo, hi] of ln(μ_T/μ_C) as an interval of the relative lift: [e^lo − 1, e^hi − 1], > −1. */
export const liftInterval = ([lo, hi]: readonly [number, number]): [number, number] => [Math.expm1(lo), Math.expm1(hi)];

/** Normal prior on the relative lift, e.g. { mean: 0, sd: 0.3 } (GrowthBook's proper prior). */
export interface NormalPrior {
  mean: number;
  sd: number;
}

/**
 * Chance that the treatment beats the control: the posterior probability that the lift is > 0
 * (goal "increase") or < 0 (goal "decrease"), under a normal likelihood N(Δr, Var) on the lift and an
 * optional normal prior (none = flat, so the chance is Φ(Δr/√Var)). Chance = 1 − Φ(0; μ_post, σ_post).
 * With zero variance the posterior is a point mass: 1, 0, or 0.5 when the lift is exactly 0.
 * Returns a probability in [0, 1].
 */
export function chanceToWin(
  lift: Estimate,
  goal: "increase" | "decrease" = "increase",
  prior: NormalPrior | null = null,
): number {
  let mu = lift.estimate;
  let v = lift.variance;
  if (prior && prior.sd > 0 && v > 0) {
    const precision = 1 / v + 1 / prior.sd ** 2;
    mu = (lift.estimate / v + prior.mean / prior.sd ** 2) / precision;
    v = 1 / precision;
  }
  const pAbove = v > 0 ? 1 - normalCdf(0, mu, Math.sqrt(v)) : mu > 0 ? 1 : mu < 0 ? 0 : 0.5;
  return goal === "increase" ? pAbove : 1 - pAbove;
}
