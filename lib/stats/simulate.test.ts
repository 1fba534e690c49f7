import { beforeAll, describe, expect, it } from "vitest";
import { simulateAA, simulateBandit, type AASimulationResult, type BanditSimulationResult } from "./simulate";

describe("A/A simulation: 2,000 experiments checked daily for 30 days", () => {
  // Seeded, so the numbers are fixed; the assertions are still real checks: the naive-peeking rate from the
  // same experiments is far above 5%, so swapping the sequential decision for the fixed test (or
  // breaking the confidence sequence) fails the first assertion.
  let r: AASimulationResult;
  beforeAll(() => {
    r = simulateAA({ experiments: 2000, looks: 30, subjectsPerLookPerArm: 100, rate: 0.1, seed: 20240610 });
  });

  it("keeps the false-positive rate at or below alpha with the confidence sequence", () => {
    expect(r.sequentialFalsePositiveRate).toBeLessThanOrEqual(0.05);
  });

  it("shows that naive peeking at a fixed test inflates it", () => {
    expect(r.naivePeekingFalsePositiveRate).toBeGreaterThan(0.15);
  });

  it("is calibrated: one fixed test at the end is wrong about alpha of the time", () => {
    // 2,000 experiments: the binomial sd around 5% is 0.49 points; ±2 points is > 4 sd.
    expect(Math.abs(r.fixedOnceFalsePositiveRate - 0.05)).toBeLessThan(0.02);
  });

  it("is deterministic for a seed", () => {
    const small = { experiments: 200, looks: 10, subjectsPerLookPerArm: 50 };
    expect(simulateAA({ ...small, seed: 1 })).toEqual(simulateAA({ ...small, seed: 1 }));
    expect(simulateAA({ ...small, seed: 1 })).not.toEqual(simulateAA({ ...small, seed: 2 }));
  });
});

describe("bandit simulation", () => {
  let r: BanditSimulationResult;
  beforeAll(() => {
    r = simulateBandit({ rates: [0.1, 0.15], runs: 30, periods: 10, subjectsPerPeriod: 400, draws: 500, seed: 7 });
  });

  it("charges the 50/50 split half the gap per subject", () => {
    // Expected regret of 50/50: 4,000 subjects × 0.05 / 2 = 100.
    expect(Math.abs(r.fixedSplit.meanRegret - 100) / 100).toBeLessThan(0.05);
  });

  it("loses less with Thompson sampling than with a fixed 50/50 split, and finds the better arm", () => {
    expect(r.thompson.meanRegret).toBeLessThan(0.6 * r.fixedSplit.meanRegret);
    expect(r.thompson.bestArmShare).toBeGreaterThan(0.6);
    expect(r.thompson.correctWinnerRate).toBeGreaterThan(0.8);
  });

  it("loses less with UCB1 than with 50/50", () => {
    expect(r.ucb1.meanRegret).toBeLessThan(r.fixedSplit.meanRegret);
  });

  it("is deterministic for a seed", () => {
    const small = { runs: 3, periods: 4, subjectsPerPeriod: 300, draws: 200 };
    expect(simulateBandit({ ...small, seed: 5 })).toEqual(simulateBandit({ ...small, seed: 5 }));
    expect(simulateBandit({ ...small, seed: 5 })).not.toEqual(simulateBandit({ ...small, seed: 6 }));
  });
});
