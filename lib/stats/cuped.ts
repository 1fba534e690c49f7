// CUPED (Deng, Xu, Kohavi & Walker, WSDM 2013): regression adjustment of each subject's metric value y by
// its own value of the same metric before exposure, x. Randomisation makes x independent of the arm, so
// the adjusted difference stays unbiased while the part of y that x predicts no longer adds noise: with
// correlation ρ between x and y the variance shrinks by the factor 1 − ρ² (the interval by √(1 − ρ²)).
//
// Choices (θ pooled from within-arm deviations as in GrowthBook's regression adjustment; the handling of
// subjects without history is this module's own):
// - x̄ is the mean pre-exposure value over the subjects with history, in every arm;
// - θ comes from the subjects with history only, pooled across arms from within-arm deviations over those
//   subjects, θ = Σ_arms Σ_H (x − x̄_H,arm)(y − ȳ_H,arm) / Σ_arms Σ_H (x − x̄_H,arm)², so a treatment effect on
//   y does not leak into θ, and subjects without history cannot move it;
// - y' = y − θ(x − x̄) for a subject with history (x̄ over every arm keeps the adjusted means on y's scale);
//   y' = y for a subject without one (θ·0 after centring: it keeps its raw value exactly);
// - each arm's adjusted mean and sample variance are those of its y' values, subjects without history
//   included; an arm where nobody has history keeps its raw mean and variance;
// - the uncertainty of θ itself is ignored (O(1/n), standard practice).
// Everything is computed from per-arm moments (CupedMoments: counts and raw sums of y, y², x, x², x·y), the
// form experiments keep up to date as events arrive, so a result costs the same at a million subjects as at
// ten; `cuped()` of per-subject pairs folds them into moments first. Centring is done algebraically on the
// sums (Σ(x − x̄)² = Σx² − (Σx)²/n), which loses ~1e-16 × (mean/sd)² of a variance: nothing at the sizes and
// scales metrics have (latencies in ms included).
import { compareArms, type CompareOptions, type MetricComparison } from "./compare";
import type { SufficientStats } from "./summary";

/** One subject: its metric value after exposure, and its pre-exposure value (null when it has none). */
export interface CupedSubject {
  y: number;
  x: number | null;
}

/** Per arm, raw and adjusted moments of the per-subject values (sample variances, n − 1). */
export interface CupedArm {
  n: number;
  /** Subjects with a pre-exposure value. */
  withHistory: number;
  mean: number;
  variance: number;
  adjustedMean: number;
  adjustedVariance: number;
}

export interface CupedComparison extends MetricComparison {
  /** 100 · (1 − Var(adjusted difference)/Var(raw difference)), e.g. 48.9 = the variance is 48.9 % smaller. */
  varianceReduction: number;
}

export type CupedResult =
  | {
      ok: true;
      theta: number;
      /** Pooled pre-exposure mean x̄ (of the subjects with history). */
      covariateMean: number;
      arms: CupedArm[];
      /** One per non-control arm (arms[0] is the control), in order. */
      comparisons: CupedComparison[];
    }
  | { ok: false; reason: string };

/** Options of compareArms except the metric kind: adjusted values are compared as continuous. */
export type CupedOptions = Omit<CompareOptions, "kind">;

/**
 * One arm's moments: over every subject with a value, n, Σy, Σy²; over the subjects with a pre-exposure
 * value (withHistory of them), Σx, Σx², Σx·y and Σy. Raw sums, so that they add up across hours, phases and
 * batches.
 */
export interface CupedMoments {
  n: number;
  sumY: number;
  sumYY: number;
  withHistory: number;
  sumX: number;
  sumXX: number;
  sumXY: number;
  sumYH: number;
}

export const emptyCupedMoments = (): CupedMoments => ({
  n: 0,
  sumY: 0,
  sumYY: 0,
  withHistory: 0,
  sumX: 0,
  sumXX: 0,
  sumXY: 0,
  sumYH: 0,
});

/** Adds one subject to `m` (in place) and returns it. Non-finite values throw RangeError. */
export function addCupedSubject(m: CupedMoments, s: CupedSubject): CupedMoments {
  if (!Number.isFinite(s.y) || (s.x !== null && !Number.isFinite(s.x)))
    throw new RangeError("cuped: values must be finite numbers");
  m.n++;
  m.sumY += s.y;
  m.sumYY += s.y * s.y;
  if (s.x === null) return m;
  m.withHistory++;
  m.sumX += s.x;
  m.sumXX += s.x * s.x;
  m.sumXY += s.x * s.y;
  m.sumYH += s.y;
  return m;
}

/** The moments of an arm's subjects. */
export const cupedMoments = (subjects: readonly CupedSubject[]): CupedMoments =>
  subjects.reduce(addCupedSubject, emptyCupedMoments());

/** Moments added together (an arm's hours, or its phases). */
export function addCupedMoments(a: CupedMoments, b: CupedMoments): CupedMoments {
  return {
    n: a.n + b.n,
    sumY: a.sumY + b.sumY,
    sumYY: a.sumYY + b.sumYY,
    withHistory: a.withHistory + b.withHistory,
    sumX: a.sumX + b.sumX,
    sumXX: a.sumXX + b.sumXX,
    sumXY: a.sumXY + b.sumXY,
    sumYH: a.sumYH + b.sumYH,
  };
}

/** Sufficient statistics of values with mean m and sample variance v over n subjects. */
const asStats = (n: number, m: number, v: number): SufficientStats => ({
  n,
  sum: n * m,
  sumSq: (n - 1) * v + n * m * m,
});

/**
 * CUPED-adjusted comparison of every arm against arms[0], from per-subject pairs (see cupedFromMoments).
 * Non-finite values throw RangeError.
 */
export function cuped(arms: readonly (readonly CupedSubject[])[], options: CupedOptions): CupedResult {
  return cupedFromMoments(arms.map(cupedMoments), options);
}

/**
 * CUPED-adjusted comparison of every arm against arms[0], from each arm's moments. Returns
 * `{ ok: false, reason }` (plain words) when it cannot apply: fewer than 2 arms, an arm with fewer than
 * 2 subjects, no subject with history, or pre-exposure values that do not vary within arms (among the
 * subjects with history).
 */
export function cupedFromMoments(arms: readonly CupedMoments[], options: CupedOptions): CupedResult {
  if (arms.length < 2) return { ok: false, reason: "needs a control and at least one variant" };
  if (arms.some((a) => a.n < 2)) return { ok: false, reason: "at least 2 subjects per arm are needed" };
  const nHist = arms.reduce((a, m) => a + m.withHistory, 0);
  if (nHist === 0) return { ok: false, reason: "no subject has a value of this metric before its exposure" };
  const xBar = arms.reduce((a, m) => a + m.sumX, 0) / nHist;

  // z = x − x̄ over the subjects with history (0 for the others): Σz, Σz², Σz·y from the raw sums.
  const z = arms.map((m) => ({
    sumZ: m.sumX - m.withHistory * xBar,
    sumZZ: Math.max(0, m.sumXX - 2 * xBar * m.sumX + m.withHistory * xBar * xBar),
    sumZY: m.sumXY - xBar * m.sumYH,
  }));
  // θ over the subjects with history, centred within the arm on their own means:
  // Σ(x − x̄_H)² = Σx² − (Σx)²/n_H, Σ(x − x̄_H)(y − ȳ_H) = Σxy − Σx·Σy/n_H (x̄ cancels out).
  const hzz = (m: CupedMoments) => (m.withHistory ? Math.max(0, m.sumXX - (m.sumX * m.sumX) / m.withHistory) : 0);
  const hzy = (m: CupedMoments) => (m.withHistory ? m.sumXY - (m.sumX * m.sumYH) / m.withHistory : 0);
  const pooledSzz = arms.reduce((a, m) => a + hzz(m), 0);
  // Relative threshold: Σz² is the spread around x̄, and cancellation leaves ~1e-16 of it when x is
  // constant within every arm.
  const scale = z.reduce((a, m) => a + m.sumZZ, 0);
  if (!(pooledSzz > 1e-12 * scale))
    return { ok: false, reason: "the pre-exposure values do not vary, so they cannot explain anything" };
  const theta = arms.reduce((a, m) => a + hzy(m), 0) / pooledSzz;

  const out: CupedArm[] = arms.map((m, i) => {
    const { sumZ, sumZZ, sumZY } = z[i]!;
    // Over the whole arm (z = 0 without history), centred on the arm's means.
    const syy = Math.max(0, m.sumYY - (m.sumY * m.sumY) / m.n);
    const szy = sumZY - (sumZ * m.sumY) / m.n;
    const szz = Math.max(0, sumZZ - (sumZ * sumZ) / m.n);
    const mean = m.sumY / m.n;
    // Σ(y' − ȳ')² with y' = y − θz: Syy − 2θ Szy + θ² Szz.
    const adjusted = Math.max(0, syy - 2 * theta * szy + theta * theta * szz);
    return {
      n: m.n,
      withHistory: m.withHistory,
      mean,
      variance: syy / (m.n - 1),
      adjustedMean: mean - (theta * sumZ) / m.n,
      adjustedVariance: adjusted / (m.n - 1),
    };
  });
  const control = out[0]!;
  const comparisons = out.slice(1).map((arm): CupedComparison => {
    const c = compareArms(
      asStats(control.n, control.adjustedMean, control.adjustedVariance),
      asStats(arm.n, arm.adjustedMean, arm.adjustedVariance),
      { ...options, kind: "continuous" },
    );
    const raw = control.variance / control.n + arm.variance / arm.n;
    const adjusted = control.adjustedVariance / control.n + arm.adjustedVariance / arm.n;
    return { ...c, varianceReduction: raw > 0 ? 100 * (1 - adjusted / raw) : 0 };
  });
  return { ok: true, theta, covariateMean: xBar, arms: out, comparisons };
}
