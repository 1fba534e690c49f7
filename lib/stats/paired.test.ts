import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { meanInterval, pairedComparison, passAtK, passHatK, runPassAtK } from "./paired";

// Reference values from SciPy 1.17 (testdata/paired-reference.py writes the JSON).
const reference = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, "testdata/paired-reference.json"), "utf8"),
) as {
  paired: Record<
    string,
    { diffs: number[]; n: number; meanDiff: number; ci: [number, number]; tPValue: number; wilcoxonPValue: number }
  >;
  meanInterval: Record<string, { values: number[]; mean: number; ci: [number, number]; alpha: number }>;
  passAtK: { n: number; c: number; k: number; passAtK: number; passHatK: number }[];
};

describe("pairedComparison against SciPy (ttest_1samp, t.interval, wilcoxon)", () => {
  for (const [name, ref] of Object.entries(reference.paired)) {
    it(name, () => {
      const got = pairedComparison(ref.diffs);
      expect(got.n).toBe(ref.n);
      expect(got.meanDiff).toBeCloseTo(ref.meanDiff, 12);
      expect(got.ci![0]).toBeCloseTo(ref.ci[0], 10);
      expect(got.ci![1]).toBeCloseTo(ref.ci[1], 10);
      expect(got.tPValue).toBeCloseTo(ref.tPValue, 10);
      expect(got.wilcoxonPValue).toBeCloseTo(ref.wilcoxonPValue, 8);
      expect(got.note).toBeNull();
    });
  }

  it("caps the Wilcoxon p-value at 1 when the statistic sits at the centre of its distribution", () => {
    // d = [1, −2, −3, 4]: no ties or zeros, so the exact test; T+ = 1 + 4 = 5 = n(n+1)/4. Of the 16 sign
    // patterns, 9 have T+ ≤ 5, so 2·P(T+ ≤ 5) = 2·9/16 = 1.125. SciPy 1.17 `wilcoxon([1, -2, -3, 4],
    // method="exact")` returns 1.0: scipy/stats/_wilcoxon.py takes 2·min(sf, cdf) and then
    // `np.clip(p, 0, 1)`; R's wilcox.test returns min(1, 2p) = 1 too. The value is not in
    // paired-reference.json because SciPy could not be run where this case was added; the derivation
    // above is the whole of it. The t test: mean 0, so t = 0 and p = 1.
    const got = pairedComparison([1, -2, -3, 4]);
    expect(got.wilcoxonPValue).toBe(1);
    expect(got.tPValue).toBeCloseTo(1, 12);
    // Uncapped, the exact and the rounding-prone cases alike would pass 1 (@stdlib gives 1.0546875 here).
    expect(pairedComparison([1, -2, -3, 4, 5, -6, -7, 8]).wilcoxonPValue).toBe(1);
    expect(pairedComparison([1, 2, -3]).wilcoxonPValue).toBe(1);
  });

  it("names why a p-value is missing, and agrees runs that never differ", () => {
    expect(pairedComparison([])).toMatchObject({ n: 0, meanDiff: null, tPValue: null, note: "no pairs to compare" });
    expect(pairedComparison([0.4])).toMatchObject({ n: 1, meanDiff: 0.4, ci: null, tPValue: null });
    expect(pairedComparison([0, 0, 0])).toMatchObject({ meanDiff: 0, ci: [0, 0], tPValue: 1, wilcoxonPValue: null });
    const same = pairedComparison([0.5, 0.5, 0.5, 0.5]);
    expect(same.tPValue).toBeNull();
    expect(same.wilcoxonPValue).toBeGreaterThan(0);
    expect(same.note).toMatch(/same/);
  });

  it("tests equal differences with the Wilcoxon test alone, whatever rounding left in their last bits", () => {
    // Three items each 0.1 better: no spread, so no t test. Wilcoxon, every rank tied: T+ = 6, mean 3,
    // variance (3·4·7 − (3³ − 3)/2)/24 = 3, z = (6 − 3 − 0.5)/√3, p = 2Φ(−z) = 0.14891467317876572 (Python
    // statistics.NormalDist; SciPy's wilcoxon(method="asymptotic") computes the same formula).
    // Even equal inputs leave noise: their mean is 0.30000000000000004/3 and their sd 2e-17, not 0.
    const exact = pairedComparison([0.1, 0.1, 0.1]);
    expect(exact).toMatchObject({ n: 3, meanDiff: expect.closeTo(0.1, 15), tPValue: null });
    expect(exact.ci![0]).toBe(exact.meanDiff);
    expect(exact.ci![1]).toBe(exact.meanDiff);
    expect(exact.wilcoxonPValue).toBeCloseTo(0.14891467317876572, 12);
    expect(exact.note).toBe("every difference is the same: the t test is undefined");
    // The same differences as b − a of real scores: (x + 0.1) − x is 0.09999999999999998 or
    // 0.10000000000000003. Their sd is ~1e-17, which made t ≈ 1e16 and p ≈ 0 ("significant") before.
    const xs = [0.61, 0.7, 0.33];
    const noisy = xs.map((x) => x + 0.1 - x);
    expect(new Set(noisy).size).toBeGreaterThan(1);
    const got = pairedComparison(noisy);
    expect(got.tPValue).toBeNull();
    expect(got.ci![0]).toBe(got.ci![1]);
    expect(got.meanDiff).toBeCloseTo(0.1, 15);
    expect(got.wilcoxonPValue).toBeCloseTo(exact.wilcoxonPValue!, 12);
    expect(got.note).toBe(exact.note);
    // Real spread, however small against the mean, is still tested.
    expect(pairedComparison([0.1, 0.1 + 1e-9, 0.1 - 1e-9]).tPValue).not.toBeNull();
  });

  it("is antisymmetric: swapping the runs flips the difference, not the p-values", () => {
    const d = reference.paired["small-continuous"]!.diffs;
    const a = pairedComparison(d);
    const b = pairedComparison(d.map((x) => -x));
    expect(b.meanDiff).toBeCloseTo(-a.meanDiff!, 12);
    expect(b.ci![0]).toBeCloseTo(-a.ci![1], 12);
    expect(b.tPValue).toBeCloseTo(a.tPValue!, 12);
    expect(b.wilcoxonPValue).toBeCloseTo(a.wilcoxonPValue!, 12);
  });
});

describe("meanInterval against SciPy t.interval", () => {
  for (const [name, ref] of Object.entries(reference.meanInterval)) {
    it(name, () => {
      const got = meanInterval(ref.values, ref.alpha);
      expect(got.mean).toBeCloseTo(ref.mean, 12);
      expect(got.ci![0]).toBeCloseTo(ref.ci[0], 10);
      expect(got.ci![1]).toBeCloseTo(ref.ci[1], 10);
    });
  }
  it("has no interval below two values", () => {
    expect(meanInterval([])).toMatchObject({ n: 0, mean: null, ci: null });
    expect(meanInterval([0.3])).toMatchObject({ n: 1, mean: 0.3, ci: null });
  });
});

describe("pass@k and pass^k against the binomial formulas (math.comb)", () => {
  for (const ref of reference.passAtK) {
    it(`n=${ref.n} c=${ref.c} k=${ref.k}`, () => {
      expect(passAtK(ref.n, ref.c, ref.k)).toBeCloseTo(ref.passAtK, 12);
      expect(passHatK(ref.n, ref.c, ref.k)).toBeCloseTo(ref.passHatK, 12);
    });
  }
  it("pass@1 and pass^1 are the pass rate; pass^k ≤ pass@1 ≤ pass@k", () => {
    expect(passAtK(8, 3, 1)).toBeCloseTo(3 / 8, 12);
    expect(passHatK(8, 3, 1)).toBeCloseTo(3 / 8, 12);
    expect(passHatK(8, 3, 3)).toBeLessThan(3 / 8);
    expect(passAtK(8, 3, 3)).toBeGreaterThan(3 / 8);
  });
  it("refuses k outside 1..n", () => {
    expect(() => passAtK(3, 1, 4)).toThrow(RangeError);
    expect(() => passHatK(3, 1, 0)).toThrow(RangeError);
  });
  it("averages over the items that ran k times", () => {
    const r = runPassAtK(
      [
        { n: 3, c: 3 },
        { n: 3, c: 0 },
        { n: 2, c: 2 },
      ],
      3,
    );
    expect(r).toEqual({ items: 2, passAtK: 0.5, passHatK: 0.5 });
    expect(runPassAtK([{ n: 1, c: 1 }], 2)).toEqual({ items: 0, passAtK: null, passHatK: null });
  });
});
