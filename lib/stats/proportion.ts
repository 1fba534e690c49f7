// How sure a share is: the Wilson score interval of a mean on 0–1 over n observations. Exact in form for
// pass/fail; for scores between 0 and 1 it is conservative, since p(1 − p) is the largest variance a 0–1
// value with mean p can have. Used where only n and the mean are kept (online evaluation's hourly sums).
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";

/**
 * Wilson score interval (Wilson 1927; statsmodels `proportion_confint(method="wilson")`) of a mean `p` in
 * [0, 1] over `n` > 0 observations, two-sided (1 − alpha). Always inside [0, 1]; null when n ≤ 0.
 */
export function wilsonInterval(p: number, n: number, alpha = 0.05): [number, number] | null {
  if (!(n > 0) || !(p >= 0 && p <= 1)) return null;
  const z = normalQuantile(1 - alpha / 2, 0, 1);
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  // Rounding can leave the end a hair past p at p = 0 or 1; the interval always holds its estimate.
  return [Math.max(0, Math.min(p, centre - half)), Math.min(1, Math.max(p, centre + half))];
}
