// Paired comparisons and how sure a mean is: the statistics behind comparing two evaluation runs item
// by item, and behind a run score's interval and pass@k. Pure; distributions and the Wilcoxon test come
// from @stdlib (no hand-written CDFs).
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import wilcoxon from "@stdlib/stats-wilcoxon";

/** A mean with its two-sided (1 − alpha) Student t interval. */
export interface MeanInterval {
  n: number;
  mean: number | null;
  /** Sample standard deviation; null below two values. */
  sd: number | null;
  /** mean ± t₁₋α/₂,n−1 · sd/√n; null below two values. */
  ci: [number, number] | null;
  method: "t";
}

/** Outcome of a paired comparison over differences d = b − a. */
export interface PairedResult {
  /** Pairs compared. */
  n: number;
  meanDiff: number | null;
  /** Two-sided (1 − alpha) t interval of the mean difference. */
  ci: [number, number] | null;
  /** Two-sided p-value of the paired (one-sample) t test on d; null when it is undefined. */
  tPValue: number | null;
  /** Two-sided p-value of the Wilcoxon signed-rank test (zeros dropped, R's wilcox.test); null when undefined. */
  wilcoxonPValue: number | null;
  method: "paired t; Wilcoxon signed-rank";
  /** Why a p-value is missing, in words; null when both exist. */
  note: string | null;
}

function sampleSd(values: readonly number[], mean: number): number | null {
  if (values.length < 2) return null;
  return Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (values.length - 1));
}

/**
 * The mean of `values` with its t interval: mean ± t₁₋α/₂,n−1 · s/√n (scipy
 * `stats.t.interval(1-alpha, n-1, loc=mean, scale=sem)`). Values with no spread get the degenerate
 * interval [mean, mean].
 */
export function meanInterval(values: readonly number[], alpha = 0.05): MeanInterval {
  const n = values.length;
  if (!n) return { n, mean: null, sd: null, ci: null, method: "t" };
  const mean = values.reduce((s, x) => s + x, 0) / n;
  const sd = sampleSd(values, mean);
  if (sd === null) return { n, mean, sd, ci: null, method: "t" };
  const half = tQuantile(1 - alpha / 2, n - 1) * (sd / Math.sqrt(n));
  return { n, mean, sd, ci: [mean - half, mean + half], method: "t" };
}

/** Two-sided Wilcoxon signed-rank p-value on d, or null with the reason. */
function signedRank(diffs: readonly number[]): { p: number | null; note: string | null } {
  const nonzero = diffs.filter((d) => d !== 0).length;
  if (nonzero === 0) return { p: null, note: "every difference is zero" };
  // Exact below 50 pairs without ties or zeros, normal approximation with continuity and tie
  // corrections otherwise (R's wilcox.test defaults, which @stdlib follows). @stdlib's exact two-sided
  // p-value is 2·P(T ≤ t) without a cap, which passes 1 when t sits at the centre n(n+1)/4 (d = [1, −2,
  // −3, 4] gives 2·9/16 = 1.125); R (min(1, 2p)) and SciPy (np.clip) cap it at 1, and so does this.
  return { p: Math.min(1, wilcoxon(Float64Array.from(diffs)).pValue), note: null };
}

/**
 * Paired comparison of differences d = b − a (one per item): the mean difference with its t interval,
 * the paired t test (scipy `ttest_rel(b, a)`, i.e. `ttest_1samp(d, 0)`) and the Wilcoxon signed-rank test
 * (scipy `wilcoxon(d, correction=True)`; exact when n ≤ 50 with no ties or zeros).
 * When every difference is the same the t test is undefined (no spread): tPValue is null, the interval
 * is [d, d], and the Wilcoxon test on the n equal differences decides (every rank tied: the normal
 * approximation with tie and continuity corrections, e.g. p = 0.149 for three, 0.0107 for seven); all-zero
 * differences give tPValue = 1 (the runs agree on every item). "The same" includes differences that only
 * rounding set apart ((x + 0.1) − x is not always 0.1): a standard error of at most 10·ε·|mean| counts as no
 * spread, R's t.test rule for "data are essentially constant". Otherwise such noise would make t huge and
 * its p-value ≈ 0, or not, depending on the last bit.
 * `range` is what a difference can be (±1 for scores on 0–1): the t interval of a few items can reach past
 * it, so it is clipped to it (a clipped interval covers at least as often).
 */
export function pairedComparison(
  diffs: readonly number[],
  opts: { alpha?: number; range?: readonly [number, number] } = {},
): PairedResult {
  const alpha = opts.alpha ?? 0.05;
  const method = "paired t; Wilcoxon signed-rank" as const;
  const interval = meanInterval(diffs, alpha);
  const n = interval.n;
  if (n < 2 || interval.mean === null || interval.sd === null) {
    return {
      n,
      meanDiff: interval.mean,
      ci: null,
      tPValue: null,
      wilcoxonPValue: null,
      method,
      note: n ? "one pair is too few to test" : "no pairs to compare",
    };
  }
  const mean = interval.mean;
  if (interval.sd / Math.sqrt(n) <= 10 * Number.EPSILON * Math.abs(mean)) {
    const same = mean === 0;
    // The equal differences themselves, not their last bits: otherwise rounding would decide which ranks tie.
    const w = signedRank(diffs.map(() => mean));
    return {
      n,
      meanDiff: mean,
      ci: [mean, mean],
      tPValue: same ? 1 : null,
      wilcoxonPValue: w.p,
      method,
      note: same ? "every difference is zero" : "every difference is the same: the t test is undefined",
    };
  }
  const w = signedRank(diffs);
  const t = interval.mean / (interval.sd / Math.sqrt(n));
  const [lo, hi] = opts.range ?? [-Infinity, Infinity];
  return {
    n,
    meanDiff: interval.mean,
    ci: interval.ci && [Math.max(lo, interval.ci[0]), Math.min(hi, interval.ci[1])],
    // Both tails from the lower one: 1 − cdf(|t|) would lose digits for small p.
    tPValue: Math.min(1, 2 * tCdf(-Math.abs(t), n - 1)),
    wilcoxonPValue: w.p,
    method,
    note: w.note,
  };
}

/** ∏_{i<k} (x − i)/(n − i) = C(x, k)/C(n, k), without the factorials; 0 when x < k. */
function chooseRatio(x: number, n: number, k: number): number {
  let r = 1;
  for (let i = 0; i < k; i++) {
    if (x - i <= 0) return 0;
    r *= (x - i) / (n - i);
  }
  return r;
}

/**
 * pass@k for one item run n times with c passes: the chance that at least one of k draws without
 * replacement passes, 1 − C(n−c, k)/C(n, k) (Chen et al. 2021, "Evaluating Large Language Models Trained
 * on Code", the unbiased estimator). Requires 1 ≤ k ≤ n.
 */
export function passAtK(n: number, c: number, k: number): number {
  if (!(k >= 1 && k <= n && c >= 0 && c <= n)) throw new RangeError(`pass@k needs 1 ≤ k ≤ n and 0 ≤ c ≤ n`);
  return 1 - chooseRatio(n - c, n, k);
}

/**
 * pass^k for one item: the chance that all k draws pass, C(c, k)/C(n, k) (Yao et al. 2024, τ-bench).
 * Requires 1 ≤ k ≤ n.
 */
export function passHatK(n: number, c: number, k: number): number {
  if (!(k >= 1 && k <= n && c >= 0 && c <= n)) throw new RangeError(`pass^k needs 1 ≤ k ≤ n and 0 ≤ c ≤ n`);
  return chooseRatio(c, n, k);
}

/** pass@k and pass^k averaged over the items that ran at least k times; null when none did. */
export function runPassAtK(
  items: readonly { n: number; c: number }[],
  k: number,
): { items: number; passAtK: number | null; passHatK: number | null } {
  const eligible = items.filter((i) => i.n >= k && k >= 1);
  if (!eligible.length) return { items: 0, passAtK: null, passHatK: null };
  const avg = (f: (i: { n: number; c: number }) => number) => eligible.reduce((s, i) => s + f(i), 0) / eligible.length;
  return {
    items: eligible.length,
    passAtK: avg((i) => passAtK(i.n, i.c, k)),
    passHatK: avg((i) => passHatK(i.n, i.c, k)),
  };
}
