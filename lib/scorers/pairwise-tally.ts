// A pairwise judge's verdicts over a run, counted per item. Pure.
//
// The unit is the dataset item, as in the paired comparison: an item's repetitions are averaged (1 = the
// judged run's answer won, 0 = the baseline's, 0.5 = a tie, including a verdict that changed when the
// order was swapped), and the mean decides the item: above 0.5 a win, below a loss, else a tie. Flips
// count the judged answers whose two orders disagreed (the judge's position bias at work). Wins against
// losses get an exact two-sided sign test, ties left out (Dixon & Mood 1946).
import type { PairwiseOrder } from "./types";
import type { RunUnit } from "./paired-runs";

export interface PairwiseTally {
  name: string;
  /** Items the judge gave a verdict on (in at least one repetition). */
  items: number;
  wins: number;
  ties: number;
  losses: number;
  /** Judged answers (item × repetition) whose verdict changed with the order; they count as ties. */
  flips: number;
  /** Judged answers the judge could not judge (no baseline answer, a failed call). */
  errors: number;
  /** Exact two-sided sign test of wins against losses; null without either. */
  signPValue: number | null;
}

/** Two-sided exact binomial test of k successes in n at p = 1/2. */
export function signTest(wins: number, losses: number): number | null {
  const n = wins + losses;
  if (n === 0) return null;
  const k = Math.min(wins, losses);
  // log C(n, i) summed in log space so that large n does not overflow.
  let logC = 0;
  let tail = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logC - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}

/** Counts one pairwise scorer's verdicts over the units of the run it judged. */
export function tallyPairwise(units: readonly RunUnit[], name: string): PairwiseTally {
  const byItem = new Map<string, number[]>();
  let flips = 0;
  let errors = 0;
  for (const u of units) {
    const r = u.results.find((x) => x.name === name) as
      (RunUnit["results"][number] & { order?: PairwiseOrder }) | undefined;
    if (!r) continue;
    if (r.error !== undefined) {
      errors++;
      continue;
    }
    if (r.order && r.order.forward !== r.order.reverse) flips++;
    const list = byItem.get(u.itemId) ?? [];
    byItem.set(u.itemId, [...list, r.score]);
  }
  let wins = 0;
  let ties = 0;
  let losses = 0;
  for (const scores of byItem.values()) {
    const m = scores.reduce((s, x) => s + x, 0) / scores.length;
    if (m > 0.5 + 1e-9) wins++;
    else if (m < 0.5 - 1e-9) losses++;
    else ties++;
  }
  return { name, items: byItem.size, wins, ties, losses, flips, errors, signPValue: signTest(wins, losses) };
}
