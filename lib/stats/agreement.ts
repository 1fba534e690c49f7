// How well a judge agrees with people: Cohen's κ for pass/fail labels, weighted κ and Spearman's ρ for
// ordinal scales (1–5), the confusion table and the words for a κ. Pure; ranks come from @stdlib, the
// κ formulas are short enough to read (Cohen 1960, 1968) and are checked against scikit-learn.
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import ranks from "@stdlib/stats-ranks";

export type KappaWeights = "linear" | "quadratic";

export interface Confusion<T> {
  /** The categories, in order (rows: the first rater, e.g. people; columns: the second, e.g. the judge). */
  categories: T[];
  counts: number[][];
}

export interface KappaResult<T> {
  n: number;
  /** null when chance agreement is already perfect (both raters used one and the same category). */
  kappa: number | null;
  /** Share of items on which the two raters gave the same category. */
  observedAgreement: number;
  confusion: Confusion<T>;
}

/** The confusion table of two raters over the same items; categories default to the sorted union. */
export function confusionTable<T extends string | number | boolean>(
  a: readonly T[],
  b: readonly T[],
  categories?: readonly T[],
): Confusion<T> {
  if (a.length !== b.length) throw new RangeError("the two raters must label the same items");
  const cats = categories ? [...categories] : [...new Set([...a, ...b])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const index = new Map(cats.map((c, i) => [c, i]));
  const counts = cats.map(() => cats.map(() => 0));
  a.forEach((x, i) => {
    const r = index.get(x);
    const c = index.get(b[i]!);
    if (r === undefined || c === undefined)
      throw new RangeError(`label ${String(r === undefined ? x : b[i])} is not a category`);
    counts[r]![c]!++;
  });
  return { categories: cats, counts };
}

/**
 * Cohen's κ = 1 − Σ wᵢⱼ·Oᵢⱼ / Σ wᵢⱼ·Eᵢⱼ over the confusion table O and the table E expected by chance
 * from the two raters' marginals; unweighted wᵢⱼ = [i ≠ j], linear |i − j|, quadratic (i − j)², with
 * categories in their order (so a 1–5 scale passes [1, 2, 3, 4, 5]). Same as scikit-learn
 * `cohen_kappa_score(a, b, labels=categories, weights=…)`.
 */
export function cohenKappa<T extends string | number | boolean>(
  a: readonly T[],
  b: readonly T[],
  opts: { weights?: KappaWeights; categories?: readonly T[] } = {},
): KappaResult<T> {
  const confusion = confusionTable(a, b, opts.categories);
  const k = confusion.categories.length;
  const n = a.length;
  const rows = confusion.counts.map((r) => r.reduce((s, x) => s + x, 0));
  const cols = confusion.categories.map((_, j) => confusion.counts.reduce((s, r) => s + r[j]!, 0));
  const w = (i: number, j: number) =>
    opts.weights === "linear" ? Math.abs(i - j) : opts.weights === "quadratic" ? (i - j) ** 2 : i === j ? 0 : 1;
  let observed = 0;
  let expected = 0;
  let same = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      observed += w(i, j) * confusion.counts[i]![j]!;
      expected += n ? (w(i, j) * rows[i]! * cols[j]!) / n : 0;
      if (i === j) same += confusion.counts[i]![j]!;
    }
  return {
    n,
    kappa: n && expected > 0 ? 1 - observed / expected : null,
    observedAgreement: n ? same / n : 0,
    confusion,
  };
}

/** Spearman's rank correlation (Pearson on average ranks) and its two-sided t-test p-value (scipy `spearmanr`). */
export function spearman(
  x: readonly number[],
  y: readonly number[],
): { n: number; rho: number | null; pValue: number | null } {
  const n = x.length;
  if (n !== y.length) throw new RangeError("the two raters must label the same items");
  if (n < 3) return { n, rho: null, pValue: null };
  const rx = ranks([...x]);
  const ry = ranks([...y]);
  const mean = (n + 1) / 2; // average ranks always sum to n(n+1)/2
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i]! - mean) * (ry[i]! - mean);
    sxx += (rx[i]! - mean) ** 2;
    syy += (ry[i]! - mean) ** 2;
  }
  if (!(sxx > 0 && syy > 0)) return { n, rho: null, pValue: null };
  const rho = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  if (Math.abs(rho) === 1) return { n, rho, pValue: 0 };
  const t = rho * Math.sqrt((n - 2) / (1 - rho * rho));
  return { n, rho, pValue: Math.min(1, 2 * tCdf(-Math.abs(t), n - 2)) };
}

/** Landis & Koch (1977)'s words for a κ. */
export function kappaLabel(kappa: number | null): string {
  if (kappa === null) return "undefined";
  if (kappa < 0) return "worse than chance";
  if (kappa <= 0.2) return "slight";
  if (kappa <= 0.4) return "fair";
  if (kappa <= 0.6) return "moderate";
  if (kappa <= 0.8) return "substantial";
  return "almost perfect";
}
