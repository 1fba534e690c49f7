// Latency percentiles from logarithmic bins: within 2.5% of the exact nearest-rank percentile (plus 1 ms) at any
// scale.
import { describe, expect, it } from "vitest";
import { binLatency, binnedQuantile, latencyBin } from "./latency-bins";

const exact = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.max(1, Math.ceil(q * xs.length)) - 1]!;

function binsOf(xs: number[]) {
  const bins = new Map<number, number>();
  for (const x of xs) bins.set(latencyBin(x), (bins.get(latencyBin(x)) ?? 0) + 1);
  return bins;
}

describe("latency bins", () => {
  it("put every latency from 0 ms to a day in a bin whose middle is within 2.5% of it (plus 1 ms)", () => {
    for (const ms of [0, 0.5, 1, 3, 17, 99.9, 100, 250, 1234.5, 60_000, 3_600_000, 86_400_000]) {
      const bin = latencyBin(ms);
      expect(bin).toBeGreaterThanOrEqual(0);
      expect(bin).toBeLessThan(400); // a smallint, and 375 bins to a day
      expect(Math.abs(binLatency(bin) - ms)).toBeLessThan(0.025 * (ms + 1));
    }
    expect(latencyBin(-5)).toBe(0);
  });

  it("give p50 and p95 within 2.5% of the exact ones, and nothing without counts", () => {
    // A skewed distribution, as latencies are: most near 300 ms, a long tail to 20 s.
    let seed = 7;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const xs = Array.from({ length: 10_000 }, () => 300 * Math.exp(rnd() * rnd() * 4.2));
    for (const q of [0.5, 0.95, 0.99]) {
      const got = binnedQuantile(binsOf(xs), q)!;
      expect(Math.abs(got - exact(xs, q)) / exact(xs, q)).toBeLessThan(0.025);
    }
    expect(binnedQuantile(new Map(), 0.5)).toBeNull();
    expect(binnedQuantile(binsOf([120]), 0.95)).toBeCloseTo(binLatency(latencyBin(120)), 9);
  });
});
