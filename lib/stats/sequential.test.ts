import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { describe, expect, it } from "vitest";
import { alwaysValidPValue, csHalfwidth, sequentialRho, sequentialTest } from "./sequential";

const close = (got: number, want: number, tol = 1e-9) => expect(Math.abs(got - want)).toBeLessThan(tol);

describe("confidence sequence (Waudby-Smith et al. eq. 9, GrowthBook form)", () => {
  // Reference: the research note's formula worked in numpy (float64) — rho, halfwidth, and the ratio of the
  // halfwidth to the fixed-horizon z·se (> 1: the price of looking at any time).
  it.each([
    [0.0004, 2000, 0.05, 5000, 0.03984006677137368, 0.062475581833494595, 1.5937941290323194],
    [1.0, 100, 0.05, 5000, 0.03984006677137368, 6.694388617066039, 3.4155671583103175],
    [0.0001, 10000, 0.01, 20000, 0.02401430963062984, 0.036126233060026984, 1.4025088157143542],
    [2.5e-5, 5000, 0.05, 5000, 0.03984006677137368, 0.015176044951881264, 1.5486044714686569],
  ])("variance %d, N %d, alpha %d, N* %d", (variance, n, alpha, plannedTotal, rho, halfwidth, ratio) => {
    close(sequentialRho(alpha, plannedTotal), rho);
    const hw = csHalfwidth(variance, n, alpha, plannedTotal)!;
    close(hw, halfwidth);
    close(hw / (normalQuantile(1 - alpha / 2, 0, 1) * Math.sqrt(variance)), ratio, 1e-8);
  });

  // Reference: p = min(1, √(Nρ²+1)·exp(−z²Nρ²/(2(Nρ²+1)))) worked in numpy.
  it.each([
    [0.05, 0.0004, 2000, 0.05, 5000, 0.1897765813390541, false],
    [0.1, 0.0004, 2000, 0.05, 5000, 0.0001520791696156677, true],
    [-0.02, 2.5e-5, 5000, 0.05, 5000, 0.0024548057146181485, true],
    [0.03, 0.0001, 10000, 0.01, 20000, 0.05619227170929468, false],
  ])("estimate %d: always-valid p and decision", (estimate, variance, n, alpha, plannedTotal, p, significant) => {
    close(alwaysValidPValue(estimate, variance, n, alpha, plannedTotal), p, 1e-12);
    const r = sequentialTest(estimate, variance, n, alpha, plannedTotal)!;
    expect(r.significant).toBe(significant);
    expect(r.pValue <= alpha).toBe(significant);
  });

  it("p ≤ alpha exactly when the sequence excludes 0, across a sweep", () => {
    for (let z = 0; z < 6; z += 0.01) {
      const r = sequentialTest(z * 0.01, 0.0001, 3000, 0.05, 5000)!;
      if (Math.abs(r.pValue - 0.05) > 1e-9) expect(r.pValue < 0.05).toBe(r.significant);
    }
  });

  it("is wider than the fixed-horizon interval at every n", () => {
    for (const n of [10, 100, 1000, 5000, 50_000, 1e6]) {
      expect(csHalfwidth(1, n, 0.05)! / Math.sqrt(1 / n)).toBeGreaterThan(normalQuantile(0.975, 0, 1));
    }
  });

  it.each([
    ["no subjects", () => csHalfwidth(1, 0, 0.05), null],
    ["zero variance", () => csHalfwidth(0, 100, 0.05), 0],
    ["p without subjects", () => alwaysValidPValue(1, 1, 0, 0.05), 1],
    ["p with zero variance and an effect", () => alwaysValidPValue(0.1, 0, 100, 0.05), 0],
    ["p with zero variance and no effect", () => alwaysValidPValue(0, 0, 100, 0.05), 1],
  ])("edge: %s", (_label, fn, expected) => {
    expect(fn()).toBe(expected);
  });
});
