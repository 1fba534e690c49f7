import { describe, expect, it } from "vitest";
import { holm } from "./multiple-testing";
import { srmCheck } from "./srm";

describe("srmCheck", () => {
  // Reference: scipy 1.17.1 stats.chisquare(observed, f_exp = weight × total).
  it.each([
    [[5000, 5000], [0.5, 0.5], 1.0, true],
    [[5200, 4800], [0.5, 0.5], 6.334248366623988e-5, false],
    [[1030, 980, 2040], [0.25, 0.25, 0.5], 0.4826830452610601, true],
    [[310, 250], [0.5, 0.5], 0.011229886652916672, true],
    [[980, 1020], [0.5, 0.5], 0.37109336952269756, true],
    [[1030, 980, 2040], [1, 1, 2], 0.4826830452610601, true], // weights on any scale
  ])("%j against %j", (counts, weights, p, ok) => {
    const r = srmCheck(counts, weights);
    expect(Math.abs(r.pValue! - p)).toBeLessThan(1e-9);
    expect(r.ok).toBe(ok);
  });

  it("does not check before every arm has 8 subjects", () => {
    expect(srmCheck([7, 100], [0.5, 0.5])).toEqual({ pValue: null, ok: true });
  });

  it("flags subjects in an arm planned at weight 0", () => {
    expect(srmCheck([100, 100, 3], [0.5, 0.5, 0])).toEqual({ pValue: 0, ok: false });
    expect(srmCheck([100, 104, 0], [0.5, 0.5, 0]).ok).toBe(true);
  });

  it("refuses mismatched lengths", () => {
    expect(() => srmCheck([1, 2], [1])).toThrow(RangeError);
  });
});

describe("holm", () => {
  // Reference: R p.adjust(c(.01, .02, .03, .04, .05), "holm") = 0.05 0.08 0.09 0.09 0.09 (worked by hand:
  // sorted p × (m − rank + 1), then a running maximum).
  it.each([
    [
      [0.01, 0.02, 0.03, 0.04, 0.05],
      [0.05, 0.08, 0.09, 0.09, 0.09],
    ],
    [
      [0.04, 0.01, 0.5],
      [0.08, 0.03, 0.5],
    ],
    [
      [0.3, null, 0.01],
      [0.3, null, 0.02],
    ],
    [[null], [null]],
    [[], []],
  ])("%j → %j", (p, expected) => {
    const got = holm(p);
    expect(got.length).toBe(expected.length);
    got.forEach((g, i) => (expected[i] === null ? expect(g).toBeNull() : expect(g).toBeCloseTo(expected[i]!, 12)));
  });
});
