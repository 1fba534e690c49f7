// Two runs on the same items, compared item by item. Pure.
//
// The unit is the dataset item: each run's repetitions of an item are averaged first (per scorer, and
// the weighted item score), so k repetitions make an item's value steadier but never count as k items.
// Per scorer, the differences d = b − a over the items both runs scored feed a paired t test (the
// decision) and a Wilcoxon signed-rank test (reported beside it, it assumes no normality; it decides
// when t is undefined because every item moved by the same amount); the deciding p-values are
// Holm-adjusted across the scorers, so asking about five scorers does not find a
// difference by chance five times as often. A scorer that errored on an item leaves that item out of
// the scorer's pairs, as it leaves it out of the run's mean: each scorer's `n` is its real pair count,
// which a gate checks (lib/release/gates/gate-evidence.ts), as `items` counts items with errored units too.
import { holm, pairedComparison, type PairedResult } from "../stats";
import { combineOutcomes } from "./run-scores";
import type { ScorerOutcome } from "./types";

/** One stored unit of a run (an item × repetition). */
export interface RunUnit {
  itemId: string;
  results: readonly ScorerOutcome[];
}

export interface PairedScore extends PairedResult {
  /**
   * Which test's p-value decides: the paired t test, or the Wilcoxon signed-rank test when t is undefined
   * (every item moved by the same amount, e.g. a pass/fail scorer that failed on every item).
   */
  decidedBy: "t" | "wilcoxon" | null;
  /** Holm-adjusted two-sided p-value of the deciding test (the overall score is not in the family). */
  adjustedPValue: number | null;
  /** adjustedPValue < alpha. */
  significant: boolean;
  /** better: b > a significantly; worse: b < a significantly; same otherwise. */
  direction: "better" | "worse" | "same";
}

export interface PairedRuns {
  alpha: number;
  /** Items both runs have. */
  items: number;
  /** The weighted item score (what the run score averages). */
  overall: PairedScore;
  /** Each scorer both runs used, in a's order. */
  scorers: (PairedScore & { name: string; type: string })[];
}

type ItemValues = { overall: number[]; byScorer: Map<string, number[]> };

/** itemId → the unit values of one run, collected over repetitions. */
function byItem(units: readonly RunUnit[]): Map<string, ItemValues> {
  const out = new Map<string, ItemValues>();
  for (const u of units) {
    const v = out.get(u.itemId) ?? { overall: [], byScorer: new Map<string, number[]>() };
    out.set(u.itemId, v);
    const verdict = combineOutcomes(u.results, "failure");
    if (verdict.score !== null) v.overall.push(verdict.score);
    for (const r of u.results) {
      if (r.error !== undefined) continue;
      const list = v.byScorer.get(r.name) ?? [];
      list.push(r.score);
      v.byScorer.set(r.name, list);
    }
  }
  return out;
}

const avg = (xs: readonly number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);

function differences(a: Map<string, ItemValues>, b: Map<string, ItemValues>, pick: (v: ItemValues) => number[]) {
  const diffs: number[] = [];
  for (const [item, va] of a) {
    const vb = b.get(item);
    if (!vb) continue;
    const x = avg(pick(va));
    const y = avg(pick(vb));
    if (x !== null && y !== null) diffs.push(y - x);
  }
  return diffs;
}

const decidedBy = (r: PairedResult) => (r.tPValue !== null ? "t" : r.wilcoxonPValue !== null ? "wilcoxon" : null);
const deciding = (r: PairedResult) => r.tPValue ?? r.wilcoxonPValue;

function scored(result: PairedResult, adjusted: number | null, alpha: number): PairedScore {
  const significant = adjusted !== null && adjusted < alpha;
  const direction = !significant || !result.meanDiff ? "same" : result.meanDiff > 0 ? "better" : "worse";
  // A difference of 0–1 scores lies in [−1, 1]: the t interval of a few items can leave it, so it is clipped.
  const ci: [number, number] | null = result.ci && [Math.max(-1, result.ci[0]), Math.min(1, result.ci[1])];
  return { ...result, ci, decidedBy: decidedBy(result), adjustedPValue: adjusted, significant, direction };
}

/** Run b against run a (the baseline), item by item. `scorers` limits the family (default: every shared one). */
export function pairRuns(
  a: readonly RunUnit[],
  b: readonly RunUnit[],
  opts: { alpha?: number; scorers?: readonly string[] } = {},
): PairedRuns {
  const alpha = opts.alpha ?? 0.05;
  const ia = byItem(a);
  const ib = byItem(b);
  const types = new Map<string, string>();
  for (const u of [...a, ...b]) for (const r of u.results) if (!types.has(r.name)) types.set(r.name, r.type);
  const inA = new Set(a.flatMap((u) => u.results.map((r) => r.name)));
  const inB = new Set(b.flatMap((u) => u.results.map((r) => r.name)));
  const names = (opts.scorers ?? [...inA]).filter((n) => inA.has(n) && inB.has(n));
  const results = names.map((n) =>
    pairedComparison(
      differences(ia, ib, (v) => v.byScorer.get(n) ?? []),
      { alpha, range: [-1, 1] },
    ),
  );
  const adjusted = holm(results.map(deciding));
  const overall = pairedComparison(
    differences(ia, ib, (v) => v.overall),
    { alpha, range: [-1, 1] },
  );
  return {
    alpha,
    items: [...ia.keys()].filter((k) => ib.has(k)).length,
    overall: scored(overall, deciding(overall), alpha),
    scorers: names.map((name, i) => ({
      name,
      type: types.get(name) ?? "",
      ...scored(results[i]!, adjusted[i]!, alpha),
    })),
  };
}

const points = (x: number) => `${x < 0 ? "−" : ""}${Math.abs(x * 100).toFixed(1)}`;
const interval = (ci: [number, number] | null) => (ci ? ` [${points(ci[0])}, ${points(ci[1])}]` : "");

/** The comparison in one sentence: "v7 is better on correctness by 6.1 points [2.3, 9.9], no scorer significantly worse." */
export function pairedVerdict(p: PairedRuns, labels: { a: string; b: string }, unit = "item"): string {
  if (!p.items) return `${labels.b} and ${labels.a} have no ${unit}s in common to compare.`;
  const better = p.scorers.filter((s) => s.direction === "better");
  const worse = p.scorers.filter((s) => s.direction === "worse");
  const by = (s: PairedRuns["scorers"][number]) =>
    `on ${s.name} by ${points(Math.abs(s.meanDiff!))} points${interval(s.ci && (s.meanDiff! < 0 ? [-s.ci[1], -s.ci[0]] : s.ci))}`;
  const n = `${p.items} ${unit}${p.items === 1 ? "" : "s"}`;
  if (!better.length && !worse.length) {
    const widest = [...p.scorers]
      .filter((s) => s.meanDiff !== null)
      .sort((x, y) => Math.abs(y.meanDiff!) - Math.abs(x.meanDiff!))[0];
    const largest = widest
      ? `; the largest difference is ${widest.name} ${widest.meanDiff! >= 0 ? "+" : "−"}${points(Math.abs(widest.meanDiff!))} points${interval(widest.ci)}`
      : "";
    return `No scorer differs significantly between ${labels.b} and ${labels.a} over ${n}${largest}.`;
  }
  const parts: string[] = [];
  if (better.length) parts.push(`${labels.b} is better than ${labels.a} ${better.map(by).join(", and ")}`);
  if (worse.length)
    parts.push(
      `${better.length ? "but worse" : `${labels.b} is worse than ${labels.a}`} ${worse.map(by).join(", and ")}`,
    );
  else parts.push("no scorer significantly worse");
  const wilcoxon = [...better, ...worse].some((s) => s.decidedBy === "wilcoxon");
  return `${parts.join(", ")} (${n}, paired t${wilcoxon ? `; Wilcoxon where every ${unit} moved alike` : ""}, Holm-adjusted).`;
}
