import tCdf from "@stdlib/stats-base-dists-t-cdf";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { describe, expect, it } from "vitest";
import { cuped, type CupedSubject } from "./cuped";

const pairs = (xs: (number | null)[], ys: number[]): CupedSubject[] => ys.map((y, i) => ({ y, x: xs[i]! }));

/**
 * A second implementation from the definition, on plain arrays: x̄ and θ from the subjects with history
 * only (θ from their within-arm deviations), y' = y − θ(x − x̄) for them and y' = y for the rest, element
 * by element, then Welch on the adjusted values.
 */
function reference(arms: CupedSubject[][], alpha = 0.05) {
  const known = arms.flat().filter((s) => s.x !== null);
  const xBar = known.reduce((a, s) => a + s.x!, 0) / known.length;
  const avg = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  let num = 0;
  let den = 0;
  for (const arm of arms) {
    const h = arm.filter((s) => s.x !== null);
    if (!h.length) continue;
    const mx = avg(h.map((s) => s.x!));
    const my = avg(h.map((s) => s.y));
    for (const s of h) {
      num += (s.x! - mx) * (s.y - my);
      den += (s.x! - mx) ** 2;
    }
  }
  const theta = num / den;
  const adjusted = arms.map((arm) => arm.map((s) => (s.x === null ? s.y : s.y - theta * (s.x - xBar))));
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

  it("subjects without history keep their raw values: an arm where nobody has history is not adjusted", () => {
    const control = pairs([null, null, null, null], [4, 7, 1, 8]);
    const r = cuped([control, pairs([0, 2, 1, 5], [1, 5, 2, 9])], { method: "fixed" });
    if (!r.ok) throw new Error(r.reason);
    expect(r.theta).not.toBe(0);
    // Raw values 4, 7, 1, 8: mean 5, sample variance 10, to the last bit.
    expect(r.arms[0]).toEqual({ n: 4, withHistory: 0, mean: 5, variance: 10, adjustedMean: 5, adjustedVariance: 10 });
  });

  it("subjects without history keep their raw values within a mixed arm", () => {
    // With history: x = [0, 2], y = [1, 5] in control and x = [0, 2], y = [3, 3] in treatment, θ = 1, x̄ = 1,
    // so their y' = [2, 4] and [4, 2]. The control's subjects without history keep y = 10 and y = 0:
    // y' = [2, 4, 10, 0], mean 4, variance (4 + 0 + 36 + 16)/3 = 56/3.
    const r = cuped([pairs([0, 2, null, null], [1, 5, 10, 0]), pairs([0, 2], [3, 3])], { method: "fixed" });
    if (!r.ok) throw new Error(r.reason);
    expect(r.theta).toBeCloseTo(1, 12);
    expect(r.arms[0]!.adjustedMean).toBeCloseTo(4, 12);
    expect(r.arms[0]!.adjustedVariance).toBeCloseTo(56 / 3, 12);
  });

  it("adding subjects without history to an arm does not move θ or x̄", () => {
    // Control x = [0, 0] has no spread of its own; treatment x = [4, 6]. θ comes from the treatment
    // alone (Sxy = 0 there): θ = 0. Imputing x̄ = 2.5 for control subjects without history would add
    // spread in x (2.5 vs 0) that lines up with their y and make θ ≈ 1.89.
    const treatment = pairs([4, 6], [3, 3]);
    const base = cuped([pairs([0, 0], [1, 5]), treatment], { method: "fixed" });
    const more = cuped([pairs([0, 0, null, null, null], [1, 5, 10, 12, 9]), treatment], { method: "fixed" });
    if (!base.ok || !more.ok) throw new Error("not applicable");
    expect(more.arms[0]!.withHistory).toBe(2);
    expect(base.theta).toBe(0);
    expect(more.theta).toBe(base.theta);
    expect(more.covariateMean).toBe(base.covariateMean);
    // The same holds when θ is not 0: added to a treatment with a strong covariate.
    const strong = [pairs([1, 2, 3, 4], [2.1, 3.9, 6.2, 8.1]), pairs([1, 3, 5], [1, 5, 10])];
    const a = cuped(strong, { method: "fixed" });
    const b = cuped([strong[0]!, [...strong[1]!, ...pairs([null, null], [40, -3])]], { method: "fixed" });
    if (!a.ok || !b.ok) throw new Error("not applicable");
    expect(a.theta).toBeGreaterThan(1);
    expect(b.theta).toBe(a.theta);
    expect(b.arms[0]).toEqual(a.arms[0]);
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
      // The arms' subjects with history average 2.75 and 6.6, x̄ = 4.89: imputing x̄ would move θ.
      name: "missing history, arms' history means apart",
      arms: [
        pairs([1, 3, null, 4, 3, null, null], [2.5, 4.1, 9, 5.2, 3.8, 1, 6.5]),
        pairs([5, 8, null, 6, 9, 5, null], [7.9, 11, 2, 9.1, 12.2, 7, 14]),
      ],
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

// The seeded simulations (interval width ≈ √(1 − ρ²) with ρ = 0.7, A/A false-positive rate under daily
// peeking) live in simulate-decisions.ts, checked by its test and printed by `npm run bench`.
