import { describe, expect, it } from "vitest";
import { clampBand, fitIntervalDomain, type IntervalPoint } from "./chart-utils";

const p = (estimate: number, lo: number, hi: number, subjects: number): IntervalPoint => ({
  estimate,
  lo,
  hi,
  subjects,
});

describe("fitIntervalDomain", () => {
  // A +25% lift whose first intervals span ±300%: the axis fits the settled bands, not the first ones.
  const lift = [
    p(40, -300, 300, 12),
    p(30, -150, 200, 60),
    p(28, -20, 80, 400),
    p(26, 5, 48, 1200),
    p(25, 12, 38, 2400),
  ];

  it("leaves out the first wide intervals", () => {
    const y = fitIntervalDomain([lift]);
    expect(y.domain[0]).toBeGreaterThanOrEqual(-25);
    expect(y.domain[1]).toBeGreaterThanOrEqual(80);
    expect(y.domain[1]).toBeLessThanOrEqual(100);
    expect(y.ticks).toContain(0);
  });

  it("keeps every estimate and 0 inside, even unsettled ones", () => {
    const y = fitIntervalDomain([[p(140, -300, 500, 5), p(25, 10, 40, 500), p(24, 12, 36, 900), p(25, 15, 35, 999)]]);
    expect(y.domain[0]).toBeLessThanOrEqual(0);
    expect(y.domain[1]).toBeGreaterThanOrEqual(140);
    expect(y.domain[1]).toBeLessThan(300);
  });

  it("uses the last interval when none is settled yet", () => {
    const y = fitIntervalDomain([[p(10, -200, 220, 5), p(12, -90, 110, 20)]]);
    expect(y.domain[0]).toBeLessThanOrEqual(-90);
    expect(y.domain[1]).toBeGreaterThanOrEqual(110);
    expect(y.domain[1]).toBeLessThan(220);
  });

  it("fits several series together and counts the settled bands of each", () => {
    const y = fitIntervalDomain([lift, [p(-5, -400, 400, 10), p(-6, -60, 20, 300), p(-5, -15, 5, 900)]], {
      skipShare: 0,
    });
    expect(y.domain[0]).toBeLessThanOrEqual(-60);
    expect(y.domain[1]).toBeGreaterThanOrEqual(80);
    expect(y.domain[1]).toBeLessThan(300);
  });

  it("honours minSubjects", () => {
    const strict = fitIntervalDomain([lift], { minSubjects: 2000 });
    expect(strict.domain[1]).toBeLessThanOrEqual(50);
  });

  it("gives a usable axis with no data", () => {
    const y = fitIntervalDomain([]);
    expect(y.domain[0]).toBeLessThan(y.domain[1]);
  });
});

describe("clampBand", () => {
  it.each([
    [[-300, 300], [-25, 100], [-25, 100], true],
    [[5, 40], [-25, 100], [5, 40], false],
    [[-50, 10], [0, 50], [0, 10], true],
    [[120, 200], [0, 100], [100, 100], true],
  ] as const)("%o in %o → %o (clipped %s)", (band, domain, drawn, clipped) => {
    expect(clampBand([...band], [...domain])).toEqual({ band: [...drawn], clipped });
  });
});
