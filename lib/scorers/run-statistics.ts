// How sure a run's score is, with items as the unit. Pure.
//
// Each item's repetitions are averaged into one value, and the run score's interval is the t interval
// over those item means (items, not item × repetition units, are the independent draws: repeating an
// item says how noisy the model is on it, not how the version does on other inputs). With k
// repetitions per item, pass@k (at least one of k passes, Chen et al. 2021's unbiased estimator) and
// pass^k (all k pass, τ-bench) are averaged over the items that ran k times.
import { meanInterval, runPassAtK } from "../stats";
import { combineOutcomes, type RunSummary } from "./run-scores";
import type { RunUnit } from "./paired-runs";

export interface ItemSpread {
  itemId: string;
  n: number;
  mean: number | null;
  /** Sample standard deviation over the repetitions; null below two. */
  sd: number | null;
  min: number | null;
  max: number | null;
  passed: number;
}

export interface RunStatistics {
  unit: "item";
  items: number;
  /** Repetitions per item (the largest count seen). */
  repetitions: number;
  /** The run score (mean of item means) and its 95% t interval over items, clipped to 0–1. */
  score: number | null;
  ci: [number, number] | null;
  method: "t";
  /** Items whose repetitions did not all agree on pass/fail. */
  unstable: number;
  /**
   * The mean over items of each item's standard deviation across its repetitions (how much the model's
   * score moves when asked the same thing again); null with fewer than two repetitions. Absent on runs
   * finished before it was kept.
   */
  meanItemSd?: number | null;
  passAtK: number | null;
  passHatK: number | null;
}

/** A run's summary as stored: runs finished before statistics were kept have none. */
export type StoredRunSummary = RunSummary & { statistics?: RunStatistics };

/** Per item: repetitions, mean score, spread and passes. */
export function itemSpreads(units: readonly RunUnit[]): ItemSpread[] {
  const by = new Map<string, { scores: number[]; n: number; passed: number }>();
  for (const u of units) {
    const v = by.get(u.itemId) ?? { scores: [], n: 0, passed: 0 };
    by.set(u.itemId, v);
    const verdict = combineOutcomes(u.results, "failure");
    v.n++;
    if (verdict.passed) v.passed++;
    if (verdict.score !== null) v.scores.push(verdict.score);
  }
  return [...by.entries()].map(([itemId, v]) => {
    const m = v.scores.length ? v.scores.reduce((s, x) => s + x, 0) / v.scores.length : null;
    const sd =
      m !== null && v.scores.length > 1
        ? Math.sqrt(v.scores.reduce((s, x) => s + (x - m) ** 2, 0) / (v.scores.length - 1))
        : null;
    const min = v.scores.length ? Math.min(...v.scores) : null;
    const max = v.scores.length ? Math.max(...v.scores) : null;
    return { itemId, n: v.n, mean: m, sd, min, max, passed: v.passed };
  });
}

const meanOf = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);

export function runStatistics(units: readonly RunUnit[], opts: { alpha?: number } = {}): RunStatistics {
  const spreads = itemSpreads(units);
  const k = spreads.reduce((m, s) => Math.max(m, s.n), 0);
  const means = spreads.flatMap((s) => (s.mean === null ? [] : [s.mean]));
  const interval = meanInterval(means, opts.alpha ?? 0.05);
  const pass =
    k >= 1
      ? runPassAtK(
          spreads.map((s) => ({ n: s.n, c: s.passed })),
          k,
        )
      : null;
  return {
    unit: "item",
    items: spreads.length,
    repetitions: k,
    score: interval.mean,
    // A score cannot leave 0–1: the t interval of a few items can, so it is clipped to the scale.
    ci: interval.ci && [Math.max(0, interval.ci[0]), Math.min(1, interval.ci[1])],
    method: "t",
    unstable: spreads.filter((s) => s.passed > 0 && s.passed < s.n).length,
    meanItemSd: meanOf(spreads.flatMap((s) => (s.sd === null ? [] : [s.sd]))),
    passAtK: pass?.passAtK ?? null,
    passHatK: pass?.passHatK ?? null,
  };
}
