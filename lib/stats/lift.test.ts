import { describe, expect, it } from "vitest";
import { chanceToWin, relativeLift } from "./lift";

const close = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThan(1e-9);

describe("relativeLift (delta method) and chanceToWin", () => {
  // Reference: the delta-method formula of the research note and scipy norm.cdf worked in numpy
  // (flat prior: 1 − norm.cdf(0, est, se); prior N(0, 0.3²): conjugate normal update first).
  it.each([
    // control rate 12% vs 15% over 1,000 subjects each (binary: variance p(1 − p))
    [
      0.12,
      0.12 * 0.88,
      1000,
      0.15,
      0.15 * 0.85,
      1000,
      0.25,
      0.020312500000000004,
      0.9602946870005289,
      0.9434496250912888,
    ],
    // means 300 (sd 80, n 1,000) vs 306 (sd 95, n 1,200)
    [300, 6400, 1000, 306, 9025, 1200, 0.02, 0.00015754881481481483, 0.9444637752584246, 0.9443074701844867],
  ])("C(%d) vs T(%d)", (mC, vC, nC, mT, vT, nT, est, variance, ctwFlat, ctwPrior) => {
    const lift = relativeLift({ mean: mC, variance: vC, n: nC }, { mean: mT, variance: vT, n: nT })!;
    close(lift.estimate, est);
    close(lift.variance, variance);
    close(chanceToWin(lift), ctwFlat);
    close(chanceToWin(lift, "increase", { mean: 0, sd: 0.3 }), ctwPrior);
    close(chanceToWin(lift, "decrease"), 1 - ctwFlat);
  });

  it.each([0, -5])("is null for a control mean of %d", (mC) => {
    expect(relativeLift({ mean: mC, variance: 1, n: 10 }, { mean: 1, variance: 1, n: 10 })).toBeNull();
  });

  it("is null for an empty arm", () => {
    expect(relativeLift({ mean: 1, variance: 1, n: 0 }, { mean: 1, variance: 1, n: 10 })).toBeNull();
  });

  it.each([
    [0.1, 1],
    [-0.1, 0],
    [0, 0.5],
  ])("treats a zero-variance lift of %d as certain (%d)", (estimate, chance) => {
    expect(chanceToWin({ estimate, variance: 0 })).toBe(chance);
  });

  it("shrinks towards the prior mean", () => {
    const lift = { estimate: 0.2, variance: 0.01 };
    expect(chanceToWin(lift, "increase", { mean: 0, sd: 0.05 })).toBeLessThan(chanceToWin(lift));
  });
});
