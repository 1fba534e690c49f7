// lib's CUPED against an independent implementation: testdata/cuped-reference.py (Python standard library
// only: statistics, and the t distribution from the incomplete beta function) writes the table.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cuped, type CupedArm, type CupedOptions } from "./cuped";

type Interval = [number, number];
type Case = {
  name: string;
  options: CupedOptions;
  arms: [number | null, number][][];
  expected: {
    theta: number;
    covariateMean: number;
    arms: CupedArm[];
    comparisons: {
      difference: number;
      differenceCi: Interval;
      varianceReduction: number;
      lift: number | null;
      ci: Interval | null;
      pValue: number;
      df?: number;
      statistic?: number;
    }[];
  };
};

const table = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "testdata/cuped-reference.json"), "utf8")) as {
  cases: Case[];
};

/** |actual − expected| ≤ 1e-9, relative to the size of the number when it is above 1. */
function close(actual: number | null | undefined, expected: number | null | undefined, what: string) {
  if (expected === null || expected === undefined) return expect(actual ?? null, what).toBeNull();
  expect(actual, what).not.toBeNull();
  expect(Math.abs(actual! - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    1e-9 * Math.max(1, Math.abs(expected)),
  );
}

describe("cuped: against the Python reference table", () => {
  it("has cases for fixed and sequential methods", () => {
    expect(table.cases.length).toBeGreaterThanOrEqual(12);
    expect(new Set(table.cases.map((c) => c.options.method))).toEqual(new Set(["fixed", "sequential"]));
  });

  it.each(table.cases.map((c) => [`${c.name} (${c.options.method}, α = ${c.options.alpha})`, c] as const))(
    "%s",
    (_, c) => {
      const r = cuped(
        c.arms.map((arm) => arm.map(([x, y]) => ({ x, y }))),
        c.options,
      );
      if (!r.ok) throw new Error(r.reason);
      close(r.theta, c.expected.theta, "θ");
      close(r.covariateMean, c.expected.covariateMean, "x̄");
      c.expected.arms.forEach((e, i) => {
        const a = r.arms[i]!;
        expect([a.n, a.withHistory]).toEqual([e.n, e.withHistory]);
        close(a.mean, e.mean, `arm ${i} mean`);
        close(a.variance, e.variance, `arm ${i} variance`);
        close(a.adjustedMean, e.adjustedMean, `arm ${i} adjusted mean`);
        close(a.adjustedVariance, e.adjustedVariance, `arm ${i} adjusted variance`);
      });
      expect(r.comparisons).toHaveLength(c.expected.comparisons.length);
      c.expected.comparisons.forEach((e, i) => {
        const m = r.comparisons[i]!;
        close(m.difference, e.difference, `comparison ${i} difference`);
        close(m.differenceCi?.[0], e.differenceCi[0], `comparison ${i} difference CI low`);
        close(m.differenceCi?.[1], e.differenceCi[1], `comparison ${i} difference CI high`);
        close(m.varianceReduction, e.varianceReduction, `comparison ${i} variance reduction`);
        close(m.lift, e.lift, `comparison ${i} lift`);
        close(m.ci?.[0], e.ci?.[0], `comparison ${i} lift CI low`);
        close(m.ci?.[1], e.ci?.[1], `comparison ${i} lift CI high`);
        close(m.pValue, e.pValue, `comparison ${i} p-value`);
        if (e.df !== undefined) close(m.df, e.df, `comparison ${i} df`);
        if (e.statistic !== undefined) close(m.statistic, e.statistic, `comparison ${i} t`);
      });
    },
  );
});
