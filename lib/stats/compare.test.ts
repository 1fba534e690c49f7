import { describe, expect, it } from "vitest";
import { compareArms, type MetricComparison } from "./compare";
import type { SufficientStats } from "./summary";

const close = (got: number | null | undefined, want: number) => expect(Math.abs(got! - want)).toBeLessThan(1e-6);
const binary = (x: number, n: number): SufficientStats => ({ n, sum: x, sumSq: x });
const fromMoments = (m: number, sd: number, n: number): SufficientStats => ({
  n,
  sum: m * n,
  sumSq: (n - 1) * sd * sd + n * m * m,
});

describe("compareArms", () => {
  it("fixed, binary: χ² p-value, lift CI on the log of the ratio with z", () => {
    // p: scipy chi2_contingency(correction=False); lift CI: expm1(ln(1.25) ± norm.ppf(0.975)·√v) with
    // v = (1 − p_C)/(n·p_C) + (1 − p_T)/(n·p_T) (numpy).
    const r = compareArms(binary(120, 1000), binary(150, 1000), { kind: "binary", method: "fixed" });
    close(r.pValue, 0.049640386865368834);
    close(r.lift, 0.25);
    close(r.ci![0], -0.0003266722419859616);
    close(r.ci![1], 0.5630105921743934);
    close(r.difference, 0.03);
    close(r.statistic, 3.8535645472061657);
    expect(r.significant).toBe(true);
  });

  it("fixed, continuous: Welch p-value, lift CI with Welch's t quantile", () => {
    // p: scipy ttest_ind_from_stats(equal_var=False); lift CI: expm1(ln(306/300) ± t.ppf(0.975, 2197.757)·√v)
    // with v = s_T²/(n_T·m_T²) + s_C²/(n_C·m_C²) (numpy).
    const r = compareArms(fromMoments(300, 80, 1000), fromMoments(306, 95, 1200), {
      kind: "continuous",
      method: "fixed",
    });
    close(r.pValue, 0.10795238743493704);
    close(r.df, 2197.756743870256);
    close(r.ci![0], -0.0043200927284708845);
    close(r.ci![1], 0.04491412591725166);
    expect(r.significant).toBe(false);
  });

  it("sequential, binary: confidence sequence on the log of the ratio and on the difference", () => {
    // Reference: the research-note formula in numpy with N = 2000, N* = 5000, alpha = 0.05, on ln(p_T/p_C).
    const r = compareArms(binary(120, 1000), binary(150, 1000), { kind: "binary", method: "sequential" });
    close(r.ci![0], -0.12455422399454792);
    close(r.ci![1], 0.7848050020065082);
    close(r.differenceCi![0], -0.01769264958194791);
    close(r.differenceCi![1], 0.07769264958194791);
    close(r.pValue, 0.4762299020602114);
    // The same data is significant at the fixed horizon and not under continuous monitoring.
    expect(r.significant).toBe(false);
    expect(r.statistic).toBeNull();
  });

  it("carries no Bayesian chance to win: the decision is a frequentist test (bandits have their own P(best))", () => {
    const r = compareArms(binary(120, 1000), binary(150, 1000), { kind: "binary", method: "sequential" });
    expect(r).not.toHaveProperty("chanceToWin");
  });

  it.each([
    ["an empty arm", binary(0, 0), binary(5, 10), "binary", /no subject in one of the arms has a value/],
    ["one subject, continuous", fromMoments(3, 0, 1), fromMoments(3, 1, 10), "continuous", /at least 2/],
    ["no conversions anywhere", binary(0, 200), binary(0, 180), "binary", /no variation/],
    ["constant values", fromMoments(3, 0, 20), fromMoments(4, 0, 20), "continuous", /no variation/],
  ] as const)("%s → nulls with a note", (_label, c, t, kind, note) => {
    for (const method of ["fixed", "sequential"] as const) {
      const r = compareArms(c, t, { kind, method });
      expect(r.note).toMatch(note);
      expect(r.pValue).toBeNull();
      expect(r.lift).toBeNull();
      expect(r.significant).toBe(false);
    }
  });

  it.each(["fixed", "sequential"] as const)("a control mean of 0 gives no lift but a difference (%s)", (method) => {
    const r = compareArms(binary(0, 400), binary(12, 400), { kind: "binary", method });
    expect(r.lift).toBeNull();
    expect(r.ci).toBeNull();
    close(r.difference, 0.03);
    expect(r.pValue).not.toBeNull();
    expect(r.note).toMatch(/undefined because a mean is 0/);
  });

  it("never returns NaN or Infinity over a sweep of small and extreme inputs", () => {
    const finiteOrNull = (r: MetricComparison) =>
      [r.lift, r.difference, r.pValue, r.statistic, r.df, ...(r.ci ?? []), ...(r.differenceCi ?? [])].every(
        (x) => x === null || Number.isFinite(x),
      );
    for (const nC of [0, 1, 2, 3, 50]) {
      for (const nT of [0, 1, 2, 40]) {
        for (const xC of [0, 1, nC]) {
          for (const xT of [0, 1, nT]) {
            if (xC > nC || xT > nT) continue;
            for (const method of ["fixed", "sequential"] as const) {
              expect(finiteOrNull(compareArms(binary(xC, nC), binary(xT, nT), { kind: "binary", method }))).toBe(true);
              expect(finiteOrNull(compareArms(binary(xC, nC), binary(xT, nT), { kind: "continuous", method }))).toBe(
                true,
              );
            }
          }
        }
      }
    }
  });
});
