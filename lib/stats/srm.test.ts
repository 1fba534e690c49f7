import { describe, expect, it } from "vitest";
import { holm } from "./multiple-testing";
import { srmByShare, srmCheck } from "./srm";

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

describe("srmByShare", () => {
  // A ramp 5 → 25 → 50 %: 1,000 subjects arrive at 5 %, 2,000 at 25 %, 4,000 at 50 %.
  const ramp = (news: [number, number, number]) => [
    { counts: [1000 - news[0], news[0]], weights: [0.95, 0.05] },
    { counts: [2000 - news[1], news[1]], weights: [0.75, 0.25] },
    { counts: [4000 - news[2], news[2]], weights: [0.5, 0.5] },
  ];

  it("finds no mismatch in a ramp's own split, which the pooled check against the last split calls one", () => {
    const exact = ramp([50, 500, 2000]);
    expect(srmByShare(exact)).toEqual({ pValue: 1, ok: true, observed: [4450, 2550], expected: [4450, 2550] });
    // What the page used to read: 4,450 live and 2,550 new against the current 50/50.
    expect(srmCheck([4450, 2550], [0.5, 0.5]).ok).toBe(false);
  });

  // Reference: z = (O − Σnp) / √Σnp(1−p), p = erfc(|z|/√2) (Python's math.erfc).
  it.each([
    [[40, 510, 2015], 0.6908449033328888, true], // chance
    [[70, 550, 2100], 6.563748705746236e-6, false], // the new arm favoured at every step
  ] as const)("a ramp with %j new subjects", (news, p, ok) => {
    const r = srmByShare(ramp([...news]));
    expect(Math.abs(r.pValue! - p)).toBeLessThan(1e-9);
    expect(r.ok).toBe(ok);
    expect(r.expected).toEqual([4450, 2550]);
  });

  it("is Pearson's χ² of srmCheck with one stratum", () => {
    const r = srmByShare([{ counts: [5200, 4800], weights: [0.5, 0.5] }]);
    expect(Math.abs(r.pValue! - srmCheck([5200, 4800], [0.5, 0.5]).pValue!)).toBeLessThan(1e-9);
  });

  it("waits for 8 subjects per arm, and flags subjects where their arm had no share", () => {
    expect(srmByShare([{ counts: [100, 7], weights: [0.95, 0.05] }]).pValue).toBeNull();
    expect(srmByShare([{ counts: [100, 0], weights: [1, 0] }, ...ramp([50, 500, 2000])]).ok).toBe(true);
    expect(srmByShare([{ counts: [100, 3], weights: [1, 0] }, ...ramp([50, 500, 2000])])).toMatchObject({
      pValue: 0,
      ok: false,
    });
    expect(() => srmByShare([{ counts: [1, 2, 3], weights: [1, 1, 1] }])).toThrow(RangeError);
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
