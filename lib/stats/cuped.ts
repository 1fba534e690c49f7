// CUPED (Deng, Xu, Kohavi & Walker, WSDM 2013): regression adjustment of each subject's metric value y by
// its own value of the same metric before exposure, x. Randomisation makes x independent of the arm, so
// the adjusted difference stays unbiased while the part of y that x predicts no longer adds noise: with
// correlation ρ between x and y the variance shrinks by the factor 1 − ρ² (the interval by √(1 − ρ²)).
//
// Choices (the same as GrowthBook's regression adjustment where it has one):
// - θ is pooled across arms from within-arm deviations, θ = Σ_arms Σ (x − x̄_arm)(y − ȳ_arm) / Σ_arms Σ (x − x̄_arm)²,
//   so a treatment effect on y does not leak into θ;
// - y' = y − θ(x − x̄) with x̄ the pooled mean over every arm, so the adjusted means stay on y's scale;
// - a subject without history gets x = x̄ (the pooled mean of those with history): after centring its
//   term is θ·0 and it keeps its raw value, and it does not move θ (its deviation from x̄_arm is small and
//   equal for everyone in the arm);
// - the uncertainty of θ itself is ignored (O(1/n), standard practice).
// The comparison is then the ordinary one (compare.ts) on the adjusted values, treated as continuous
// (Welch for fixed horizon, the confidence sequence for sequential mode), so the two share every rule.
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

interface Moments {
  n: number;
  withHistory: number;
  sumY: number;
  sumYY: number;
  sumX: number;
  sumXX: number;
  sumXY: number;
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
 * or a pre-exposure value that does not vary within arms. Non-finite values throw RangeError.
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

  const moments: Moments[] = arms.map((arm) => {
    const m = { n: arm.length, withHistory: 0, sumY: 0, sumYY: 0, sumX: 0, sumXX: 0, sumXY: 0 };
    for (const s of arm) {
      const x = s.x ?? xBar;
      if (s.x !== null) m.withHistory++;
      m.sumY += s.y;
      m.sumYY += s.y * s.y;
      m.sumX += x;
      m.sumXX += x * x;
      m.sumXY += x * s.y;
    }
    return m;
  });
  // Within-arm centred sums: Sxx = Σx² − (Σx)²/n, Sxy = Σxy − ΣxΣy/n, Syy likewise.
  const sxx = (m: Moments) => Math.max(0, m.sumXX - (m.sumX * m.sumX) / m.n);
  const sxy = (m: Moments) => m.sumXY - (m.sumX * m.sumY) / m.n;
  const syy = (m: Moments) => Math.max(0, m.sumYY - (m.sumY * m.sumY) / m.n);
  const pooledSxx = moments.reduce((a, m) => a + sxx(m), 0);
  // Relative threshold: cancellation leaves ~1e-16 of Σx² when every x is equal.
  const scale = moments.reduce((a, m) => a + m.sumXX, 0);
  if (!(pooledSxx > 1e-12 * Math.max(1, scale)))
    return { ok: false, reason: "the pre-exposure values do not vary, so they cannot explain anything" };
  const theta = moments.reduce((a, m) => a + sxy(m), 0) / pooledSxx;

  const out: CupedArm[] = moments.map((m) => {
    const mean = m.sumY / m.n;
    const variance = syy(m) / (m.n - 1);
    // Var(y − θx) = Var(y) − 2θ Cov(x, y) + θ² Var(x), per arm.
    const adjustedVariance = Math.max(0, (syy(m) - 2 * theta * sxy(m) + theta * theta * sxx(m)) / (m.n - 1));
    return {
      n: m.n,
      withHistory: m.withHistory,
      mean,
      variance,
      adjustedMean: mean - theta * (m.sumX / m.n - xBar),
      adjustedVariance,
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
