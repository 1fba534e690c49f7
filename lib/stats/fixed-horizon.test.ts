import { describe, expect, it } from "vitest";
import { twoProportionTest, welchTTest } from "./fixed-horizon";
import { fromValues, type SufficientStats } from "./summary";

const TOL = 1e-6;
const close = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThan(TOL);

/** Sufficient statistics of an arm from its mean, sample sd and n (for summary-only references). */
const fromMoments = (m: number, sd: number, n: number): SufficientStats => ({
  n,
  sum: m * n,
  sumSq: (n - 1) * sd * sd + n * m * m,
});
const binary = (x: number, n: number): SufficientStats => ({ n, sum: x, sumSq: x });

describe("welchTTest against scipy", () => {
  // Reference: scipy 1.17.1 stats.ttest_ind(treatment, control, equal_var=False), with
  // .confidence_interval(0.95) for the CI of mean(treatment) − mean(control).
  it.each([
    [
      [19.1, 21.3, 18.7, 22.4, 20.0, 19.8, 23.1, 17.9],
      [22.5, 24.1, 21.8, 25.0, 23.3, 22.9, 26.2, 20.7, 24.4, 23.8],
      3.883351349817435,
      0.0016392825937868328,
      14.07794180037525,
      1.4257081607230464,
      4.939291839276955,
    ],
    [
      [1, 2, 3, 4, 5],
      [2, 8, 3, 12, 7, 1, 9],
      1.7674747359294165,
      0.11403587774499825,
      8.239553533742907,
      -0.8943462593429201,
      6.89434625934292,
    ],
    [
      [0.52, 0.61, 0.47, 0.55, 0.58, 0.49, 0.63, 0.51, 0.56, 0.54, 0.6, 0.5],
      [0.5, 0.44, 0.58, 0.41, 0.47, 0.52, 0.39, 0.46],
      -2.8738811401123945,
      0.012956561537048382,
      13.10475362739254,
      -0.13206323751952911,
      -0.018770095813804157,
    ],
  ])("raw samples %#", (control, treatment, t, p, df, lo, hi) => {
    const r = welchTTest(fromValues(control), fromValues(treatment))!;
    close(r.statistic, t);
    close(r.pValue, p);
    close(r.df, df);
    close(r.ci[0], lo);
    close(r.ci[1], hi);
  });

  // Reference: scipy stats.ttest_ind_from_stats(mT, sT, nT, mC, sC, nC, equal_var=False); the CI is
  // d ± t.ppf(0.975, df)·se worked in numpy from the same moments.
  it.each([
    [
      300, 80, 1000, 306, 95, 1200, 1.6081206671812611, 0.10795238743493704, 2197.756743870256, -1.316779200296235,
      13.316779200296235,
    ],
    [
      12.5, 4.0, 40, 11.0, 6.5, 35, -1.1832159566199232, 0.2418127460234536, 55.000888977741155, -4.040589539907312,
      1.040589539907312,
    ],
  ])("moments C(%d, %d, n=%d) T(%d, %d, n=%d)", (mC, sC, nC, mT, sT, nT, t, p, df, lo, hi) => {
    const r = welchTTest(fromMoments(mC, sC, nC), fromMoments(mT, sT, nT))!;
    close(r.statistic, t);
    close(r.pValue, p);
    close(r.df, df);
    close(r.ci[0], lo);
    close(r.ci[1], hi);
    close(r.difference, mT - mC);
  });

  it.each([
    ["an empty arm", fromValues([]), fromValues([1, 2, 3])],
    ["one subject", fromValues([4]), fromValues([1, 2, 3])],
    ["zero variance in both arms", fromValues([2, 2, 2]), fromValues([3, 3, 3])],
  ])("returns null for %s", (_label, c, t) => {
    expect(welchTTest(c, t)).toBeNull();
  });

  it("works when only one arm varies", () => {
    const r = welchTTest(fromValues([2, 2, 2, 2]), fromValues([1, 2, 3, 4]))!;
    expect(Number.isFinite(r.pValue) && Number.isFinite(r.df)).toBe(true);
  });
});

describe("twoProportionTest against scipy", () => {
  // Reference: scipy 1.17.1 stats.chi2_contingency([[x_C, n_C − x_C], [x_T, n_T − x_T]], correction=False)
  // for (χ², p); CI = p_T − p_C ± norm.ppf(0.975)·√(p_C(1−p_C)/n_C + p_T(1−p_T)/n_T) worked in numpy.
  it.each([
    [120, 1000, 150, 1000, 3.8535645472061657, 0.049640386865368834, 7.602882129778554e-5, 0.05992397117870221],
    [45, 500, 38, 480, 0.3707583959024511, 0.5425911673700343, -0.04565641412117433, 0.02398974745450766],
    [1, 20, 9, 20, 8.533333333333333, 0.0034870048921413857, 0.16196320115318652, 0.6380367988468135],
    [3120, 25000, 3301, 25000, 5.85392594121296, 0.015542340338760636, 0.0013754104720853262, 0.013104589527914667],
  ])("%d/%d vs %d/%d", (xC, nC, xT, nT, chi2, p, lo, hi) => {
    const r = twoProportionTest(binary(xC, nC), binary(xT, nT))!;
    close(r.statistic, chi2);
    close(r.pValue, p);
    close(r.ci[0], lo);
    close(r.ci[1], hi);
    expect(r.df).toBe(1);
  });

  it("equals the two-sided two-proportion z test (χ² = z²)", () => {
    const r = twoProportionTest(binary(120, 1000), binary(150, 1000))!;
    const pooled = 270 / 2000;
    const z = 0.03 / Math.sqrt(pooled * (1 - pooled) * (2 / 1000));
    close(r.statistic, z * z);
  });

  it.each([
    ["an empty arm", binary(0, 0), binary(3, 10)],
    ["no events in either arm", binary(0, 50), binary(0, 60)],
    ["only events in both arms", binary(50, 50), binary(60, 60)],
  ])("returns null for %s", (_label, c, t) => {
    expect(twoProportionTest(c, t)).toBeNull();
  });
});
