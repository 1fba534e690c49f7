import { describe, expect, it } from "vitest";
import { wilsonInterval } from "./proportion";

describe("wilsonInterval", () => {
  it.each([
    // statsmodels proportion_confint(count, n, method="wilson") / the formula in SciPy.
    [0.8, 10, [0.49016247153664183, 0.9433178485456247]],
    [0, 5, [0, 0.43448246478317366]],
    [0.917, 24, [0.7419398523041517, 0.9769879929969149]],
  ] as const)("p = %f over n = %i", (p, n, [lo, hi]) => {
    const got = wilsonInterval(p, n)!;
    expect(got[0]).toBeCloseTo(lo, 6);
    expect(got[1]).toBeCloseTo(hi, 6);
  });

  it("stays inside 0–1 and refuses what is not a share", () => {
    for (const n of [1, 2, 30])
      for (const p of [0, 0.01, 0.5, 0.99, 1]) {
        const [lo, hi] = wilsonInterval(p, n)!;
        expect(lo).toBeGreaterThanOrEqual(0);
        expect(hi).toBeLessThanOrEqual(1);
        expect(lo).toBeLessThanOrEqual(p);
        expect(hi).toBeGreaterThanOrEqual(p);
      }
    expect(wilsonInterval(0.5, 0)).toBeNull();
    expect(wilsonInterval(1.2, 10)).toBeNull();
  });
});
