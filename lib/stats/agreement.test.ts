import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cohenKappa, confusionTable, kappaLabel, spearman } from "./agreement";

// Reference values from scikit-learn 1.2 and SciPy (testdata/agreement-reference.py writes the JSON).
const reference = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, "testdata/agreement-reference.json"), "utf8"),
) as {
  passFail: Record<string, { a: number[]; b: number[]; kappa: number }>;
  scale: Record<
    string,
    {
      a: number[];
      b: number[];
      kappa: number;
      linear: number;
      quadratic: number;
      spearman: number;
      spearmanP: number;
    }
  >;
};

describe("Cohen's κ against scikit-learn cohen_kappa_score", () => {
  for (const [name, ref] of Object.entries(reference.passFail))
    it(`pass/fail: ${name}`, () => {
      expect(cohenKappa(ref.a, ref.b).kappa).toBeCloseTo(ref.kappa, 12);
    });
  for (const [name, ref] of Object.entries(reference.scale))
    it(`1–5 scale: ${name}, unweighted, linear and quadratic`, () => {
      const categories = [1, 2, 3, 4, 5];
      expect(cohenKappa(ref.a, ref.b, { categories }).kappa).toBeCloseTo(ref.kappa, 12);
      expect(cohenKappa(ref.a, ref.b, { categories, weights: "linear" }).kappa).toBeCloseTo(ref.linear, 12);
      expect(cohenKappa(ref.a, ref.b, { categories, weights: "quadratic" }).kappa).toBeCloseTo(ref.quadratic, 12);
    });

  it("is 1 for perfect agreement, null when chance agreement is already perfect", () => {
    expect(cohenKappa([true, false, true], [true, false, true]).kappa).toBe(1);
    expect(cohenKappa([true, true], [true, true]).kappa).toBeNull();
    expect(cohenKappa([], []).kappa).toBeNull();
  });

  it("keeps the confusion table with people as rows and the judge as columns", () => {
    const r = cohenKappa(["pass", "pass", "fail", "fail"], ["pass", "fail", "fail", "fail"]);
    expect(r.confusion).toEqual({
      categories: ["fail", "pass"],
      counts: [
        [2, 0],
        [1, 1],
      ],
    });
    expect(r.observedAgreement).toBe(0.75);
  });

  it("refuses labels outside the categories and raters of different lengths", () => {
    expect(() => confusionTable([1, 6], [1, 2], [1, 2, 3, 4, 5])).toThrow(/6 is not a category/);
    expect(() => cohenKappa([1], [1, 2])).toThrow(RangeError);
  });
});

describe("Spearman's ρ against SciPy spearmanr", () => {
  for (const [name, ref] of Object.entries(reference.scale))
    it(name, () => {
      const r = spearman(ref.a, ref.b);
      expect(r.rho).toBeCloseTo(ref.spearman, 12);
      expect(r.pValue! / ref.spearmanP).toBeCloseTo(1, 8);
    });
  it("is undefined without spread or with fewer than three pairs", () => {
    expect(spearman([1, 2], [1, 2]).rho).toBeNull();
    expect(spearman([3, 3, 3], [1, 2, 3]).rho).toBeNull();
  });
});

describe("kappaLabel (Landis & Koch 1977)", () => {
  it("names the bands", () => {
    expect([-0.1, 0.1, 0.3, 0.5, 0.7, 0.9, null].map(kappaLabel)).toEqual([
      "worse than chance",
      "slight",
      "fair",
      "moderate",
      "substantial",
      "almost perfect",
      "undefined",
    ]);
  });
});
