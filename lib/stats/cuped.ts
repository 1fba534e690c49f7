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
// Two passes, O(n): x̄, then sufficient sums per arm, with x centred on x̄ and y on the arm's first value so
// that large values (latencies in ms) do not cancel digits away.
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

/** Per arm: sums over every subject (y) and over the subjects with history (z = x − x̄, y), y shifted by `shift`. */
interface Sums {
  n: number;
  shift: number;
  sumY: number;
  sumYY: number;
  withHistory: number;
  /** Σ_H z, Σ_H z², Σ_H z·y, Σ_H y; with z = 0 for a subject without history, the first three are also the arm's. */
  sumZ: number;
  sumZZ: number;
  sumZY: number;
  sumYH: number;
}

/** Sufficient statistics of values with mean m and sample variance v over n subjects. */
const asStats = (n: number, m: number, v: number): SufficientStats => ({
  n,
  sum: n * m,
  sumSq: (n - 1) * v + n * m * m,
});

/**
 * CUPED-adjusted comparison of every arm against arms[0]. Returns `{ ok: false, reason }` (plain words)
 * when it cannot apply: fewer than 2 arms, an arm with fewer than 2 subjects, no subject with history,
 * or pre-exposure values that do not vary within arms (among the subjects with history). Non-finite
 * values throw RangeError.
 */
export function cuped(arms: readonly (readonly CupedSubject[])[], options: CupedOptions): CupedResult {
  if (arms.length < 2) return { ok: false, reason: "needs a control and at least one variant" };
  for (const arm of arms)
    for (const s of arm)
      if (!Number.isFinite(s.y) || (s.x !== null && !Number.isFinite(s.x)))
        throw new RangeError("cuped: values must be finite numbers");
  if (arms.some((a) => a.length < 2)) return { ok: false, reason: "at least 2 subjects per arm are needed" };

  let nHist = 0;
  let sumHist = 0;
  for (const arm of arms)
    for (const s of arm)
      if (s.x !== null) {
        nHist++;
        sumHist += s.x;
      }
  if (nHist === 0) return { ok: false, reason: "no subject has a value of this metric before its exposure" };
  const xBar = sumHist / nHist;

  const sums: Sums[] = arms.map((arm) => {
    const m = {
      n: arm.length,
      shift: arm[0]!.y,
      sumY: 0,
      sumYY: 0,
      withHistory: 0,
      sumZ: 0,
      sumZZ: 0,
      sumZY: 0,
      sumYH: 0,
    };
    for (const s of arm) {
      const y = s.y - m.shift;
      m.sumY += y;
      m.sumYY += y * y;
      if (s.x === null) continue;
      const z = s.x - xBar;
      m.withHistory++;
      m.sumZ += z;
      m.sumZZ += z * z;
      m.sumZY += z * y;
      m.sumYH += y;
    }
    return m;
  });
  // θ over the subjects with history, centred within the arm on their own means: Szz = Σz² − (Σz)²/n_H.
  const hzz = (m: Sums) => (m.withHistory ? Math.max(0, m.sumZZ - (m.sumZ * m.sumZ) / m.withHistory) : 0);
  const hzy = (m: Sums) => (m.withHistory ? m.sumZY - (m.sumZ * m.sumYH) / m.withHistory : 0);
  const pooledSzz = sums.reduce((a, m) => a + hzz(m), 0);
  // Relative threshold: Σz² is the spread around x̄, and cancellation leaves ~1e-16 of it when x is
  // constant within every arm.
  const scale = sums.reduce((a, m) => a + m.sumZZ, 0);
  if (!(pooledSzz > 1e-12 * scale))
    return { ok: false, reason: "the pre-exposure values do not vary, so they cannot explain anything" };
  const theta = sums.reduce((a, m) => a + hzy(m), 0) / pooledSzz;

  const out: CupedArm[] = sums.map((m) => {
    // Over the whole arm (z = 0 without history), centred on the arm's means.
    const syy = Math.max(0, m.sumYY - (m.sumY * m.sumY) / m.n);
    const szy = m.sumZY - (m.sumZ * m.sumY) / m.n;
    const szz = Math.max(0, m.sumZZ - (m.sumZ * m.sumZ) / m.n);
    const mean = m.shift + m.sumY / m.n;
    // Σ(y' − ȳ')² with y' = y − θz: Syy − 2θ Szy + θ² Szz.
    const adjusted = Math.max(0, syy - 2 * theta * szy + theta * theta * szz);
    return {
      n: m.n,
      withHistory: m.withHistory,
      mean,
      variance: syy / (m.n - 1),
      adjustedMean: mean - (theta * m.sumZ) / m.n,
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
