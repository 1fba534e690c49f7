import { describe, expect, it } from "vitest";
import { simulateCuped, simulatePairedPower } from "./simulate-decisions";

describe("simulateCuped (seeded, ρ = 0.7)", () => {
  const r = simulateCuped({ widthRuns: 10, aaExperiments: 200 });
  it("narrows the interval by √(1 − ρ²) ≈ 0.714 (within ±0.02)", () => {
    expect(Math.abs(r.widthRatio - r.expectedWidthRatio)).toBeLessThan(0.02);
  });
  it("keeps the A/A false-positive rate ≤ α under daily peeking; the fixed p-value peeked at does not", () => {
    expect(r.sequentialFalsePositiveRate).toBeLessThanOrEqual(0.05);
    expect(r.naivePeekingFalsePositiveRate).toBeGreaterThan(0.1);
  });
  it("is deterministic for a seed", () => {
    expect(simulateCuped({ widthRuns: 2, aaExperiments: 5, seed: 7 })).toEqual(
      simulateCuped({ widthRuns: 2, aaExperiments: 5, seed: 7 }),
    );
  });
});

describe("simulatePairedPower (seeded)", () => {
  const r = simulatePairedPower({ simulations: 500 });
  it("pairing finds a 5-point gain on 40 items far more often than comparing averages", () => {
    // Theory: per-item difference sd 0.08·√2, se 0.0179, effect/se 2.8: power 0.778 (SciPy nct, 39 df).
    expect(r.pairedPower).toBeGreaterThan(0.74);
    expect(r.pairedPower).toBeLessThan(0.86);
    // Welch carries the items' spread (sd 0.2) in its standard error: the same gain is almost never found.
    expect(r.unpairedPower).toBeLessThan(0.1);
  });
  it("keeps the paired test's false-positive rate near α without a difference", () => {
    expect(r.pairedFalsePositiveRate).toBeGreaterThan(0.02);
    expect(r.pairedFalsePositiveRate).toBeLessThan(0.08);
  });
});
