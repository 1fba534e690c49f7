import tCdf from "@stdlib/stats-base-dists-t-cdf";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { describe, expect, it } from "vitest";
import { cuped, type CupedSubject } from "./cuped";

const pairs = (xs: (number | null)[], ys: number[]): CupedSubject[] => ys.map((y, i) => ({ y, x: xs[i]! }));

/**
 * A second implementation from the textbook formulas, on plain arrays: impute x̄ for missing history,
 * θ from within-arm deviations, y' = y − θ(x − x̄) element by element, then Welch on the adjusted values.
 */
function reference(arms: CupedSubject[][], alpha = 0.05) {
  const known = arms.flat().filter((s) => s.x !== null);
  const xBar = known.reduce((a, s) => a + s.x!, 0) / known.length;
  const avg = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  let num = 0;
  let den = 0;
  for (const arm of arms) {
    const xs = arm.map((s) => s.x ?? xBar);
    const mx = avg(xs);
    const my = avg(arm.map((s) => s.y));
    arm.forEach((s, i) => {
      num += (xs[i]! - mx) * (s.y - my);
      den += (xs[i]! - mx) ** 2;
    });
  }
  const theta = num / den;
  const adjusted = arms.map((arm) => arm.map((s) => s.y - theta * ((s.x ?? xBar) - xBar)));
  const svar = (v: number[]) => v.reduce((a, b) => a + (b - avg(v)) ** 2, 0) / (v.length - 1);
  const [c, t] = [adjusted[0]!, adjusted[1]!];
  const a = svar(c) / c.length;
  const b = svar(t) / t.length;
  const diff = avg(t) - avg(c);
  const se = Math.sqrt(a + b);
  const df = (a + b) ** 2 / (a ** 2 / (c.length - 1) + b ** 2 / (t.length - 1));
  const q = tQuantile(1 - alpha / 2, df);
  const rawVar = svar(arms[0]!.map((s) => s.y)) / c.length + svar(arms[1]!.map((s) => s.y)) / t.length;
  return {
    theta,
    adjustedMeans: [avg(c), avg(t)],
    diff,
    ci: [diff - q * se, diff + q * se],
    pValue: 2 * tCdf(-Math.abs(diff / se), df),
    reduction: 100 * (1 - (a + b) / rawVar),
  };
}

describe("cuped: hand-checked case", () => {
  it("θ = 1, variance of the difference halved", () => {
    // Control x = [0, 2], y = [1, 5]: Sxy = 4, Sxx = 2. Treatment x = [0, 2], y = [3, 3]: Sxy = 0, Sxx = 2.
    // θ = 4/4 = 1, x̄ = 1: control y' = [2, 4] (mean 3, var 2), treatment y' = [4, 2] (mean 3, var 2).
    // Raw Var(diff) = 8/2 + 0/2 = 4, adjusted = 2/2 + 2/2 = 2: 50 % less.
    const r = cuped([pairs([0, 2], [1, 5]), pairs([0, 2], [3, 3])], { method: "fixed" });
    if (!r.ok) throw new Error(r.reason);
    expect(r.theta).toBeCloseTo(1, 12);
    expect(r.covariateMean).toBeCloseTo(1, 12);
    expect(r.arms.map((a) => [a.adjustedMean, a.adjustedVariance])).toEqual([
      [3, 2],
      [3, 2],
    ]);
    expect(r.arms.map((a) => a.variance)).toEqual([8, 0]);
    expect(r.comparisons[0]!.varianceReduction).toBeCloseTo(50, 10);
    expect(r.comparisons[0]!.difference).toBeCloseTo(0, 12);
  });

  it("a subject without history keeps its raw value (θ·0 after centring)", () => {
    // x̄ over those with history = (0 + 2 + 0 + 2)/4 = 1; the subject with x = null gets x = 1, so y' = y.
    const withMissing = cuped([pairs([0, 2, null], [1, 5, 10]), pairs([0, 2], [3, 3])], { method: "fixed" });
    const explicit = cuped([pairs([0, 2, 1], [1, 5, 10]), pairs([0, 2], [3, 3])], { method: "fixed" });
    if (!withMissing.ok || !explicit.ok) throw new Error("not applicable");
    expect(withMissing.arms[0]!.withHistory).toBe(2);
    expect(withMissing.arms[0]!.adjustedMean).toBeCloseTo(explicit.arms[0]!.adjustedMean, 12);
    expect(withMissing.theta).toBeCloseTo(explicit.theta, 12);
  });
});

describe("cuped: against the reference implementation", () => {
  const cases: { name: string; arms: CupedSubject[][] }[] = [
    {
      name: "small continuous, strong covariate",
      arms: [
        pairs([1, 2, 3, 4, 5], [2.1, 3.9, 6.2, 8.1, 9.7]),
        pairs([1, 2, 3, 4, 5, 6], [3, 4.2, 7.1, 8.8, 11.2, 12.9]),
      ],
    },
    {
      name: "missing history in both arms",
      arms: [pairs([4, null, 7, 2, 9, null], [5, 6, 8, 1, 11, 3]), pairs([3, 8, null, 5, 6], [4, 10, 7, 7, 9])],
    },
    {
      name: "binary outcomes with share covariate",
      arms: [pairs([0, 0.5, 1, 1, 0, 0.25], [0, 1, 1, 1, 0, 0]), pairs([0.5, 1, 0, 1, 0.75, 0], [1, 1, 0, 1, 1, 1])],
    },
    {
      name: "negatively correlated covariate",
      arms: [pairs([10, 8, 6, 4, 2], [1, 3, 4, 7, 9]), pairs([9, 7, 5, 3, 1], [2, 5, 5, 8, 11])],
    },
  ];
  it.each(cases)("$name", ({ arms }) => {
    const r = cuped(arms, { method: "fixed", alpha: 0.05 });
    const ref = reference(arms);
    if (!r.ok) throw new Error(r.reason);
    expect(r.theta).toBeCloseTo(ref.theta, 10);
    expect(r.arms[0]!.adjustedMean).toBeCloseTo(ref.adjustedMeans[0]!, 10);
    expect(r.arms[1]!.adjustedMean).toBeCloseTo(ref.adjustedMeans[1]!, 10);
    const c = r.comparisons[0]!;
    expect(c.difference).toBeCloseTo(ref.diff, 10);
    expect(c.differenceCi![0]).toBeCloseTo(ref.ci[0]!, 8);
    expect(c.differenceCi![1]).toBeCloseTo(ref.ci[1]!, 8);
    expect(c.pValue).toBeCloseTo(ref.pValue, 8);
    expect(c.varianceReduction).toBeCloseTo(ref.reduction, 8);
  });
});

describe("cuped: when it cannot apply", () => {
  it.each([
    { name: "one arm", arms: [pairs([1, 2], [1, 2])], reason: /control and at least one variant/ },
    { name: "an arm with one subject", arms: [pairs([1, 2], [1, 2]), pairs([1], [1])], reason: /2 subjects/ },
    { name: "no history", arms: [pairs([null, null], [1, 2]), pairs([null, null], [3, 4])], reason: /before/ },
    { name: "constant history", arms: [pairs([5, 5], [1, 2]), pairs([5, null], [3, 4])], reason: /do not vary/ },
  ])("$name", ({ arms, reason }) => {
    const r = cuped(arms, { method: "fixed" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it("rejects non-finite values", () => {
    expect(() => cuped([pairs([1, NaN], [1, 2]), pairs([1, 2], [1, 2])], { method: "fixed" })).toThrow(RangeError);
  });
});

/** Subjects whose pre-period value x and outcome y are standard normals correlated ρ, y shifted to mean 10. */

// The seeded simulations (interval width ≈ √(1 − ρ²) with ρ = 0.7, A/A false-positive rate under daily
// peeking) live in simulate-decisions.ts, checked by its test and printed by `npm run bench`.
