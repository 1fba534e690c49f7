// What a gate's run must show before its score or its paired comparison means anything. Pure; the
// evaluation step (../plan/plan-evaluation.ts) applies it in every mode, so the release plan, promote, review
// approval, auto-promote, experiments and the API refuse the same runs.
//
// - Every item ran: a gate's dataset is fixed, so a run in which any of its items failed (the version
//   could not be rendered for it, the model call failed, a gate scorer could not judge it) is missing
//   evidence, not a result. A run's score is the mean over the items that have one, and a paired
//   comparison pairs only items both runs scored: counting only what ran would let a version that fails
//   on 39 of 40 items pass on the one that worked. No failure is tolerated (a new run retries one that
//   was passing); the run's failures are named.
// - Enough pairs (modes paired and both): on every gate scorer, at least 80% of the gate's items and
//   at least 10 must pair (both runs scored the item); a gate of fewer than 10 items needs all of them.
//   The live version's run can be the one that failed: then it is the one to run again.
// - A test, not its absence: a scorer whose test has no p-value (fewer than two pairs) passes only when
//   its one difference is exactly zero.
// - Small gates: with fewer than 10 items the paired test can hardly find a loss (a version that fails
//   every item of a 4-item gate on a pass/fail scorer gets p = 0.072; of a 5-item gate 0.037, which Holm
//   across two scorers makes 0.074), so no gate scorer may be lower on average at all.
import type { CountingRunFact, PairedGateFacts } from "../plan/plan";

/** Fewest paired items a paired gate accepts, and below which a gate counts as small. */
export const MIN_PAIRS = 10;
const EPS = 1e-9;

/** Paired items each gate scorer needs on a gate of `items` items: ⌈80%⌉, at least 10, at most all of them. */
export const pairsNeeded = (items: number): number => Math.max(Math.ceil((4 * items) / 5), Math.min(MIN_PAIRS, items));

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const points = (x: number) => (x * 100).toFixed(1);
/** "live version 3" starts a sentence capitalised; a prompt's name keeps its own case. */
const cap = (s: string) => (/^(live )?version /.test(s) ? s.charAt(0).toUpperCase() + s.slice(1) : s);

/** Why a counting run is not evidence for the gate (some of its items failed), or null. */
export function failedRunDetail(run: CountingRunFact, version: string, items: number, where: string): string | null {
  if (run.failedItems === 0) return null;
  const first = run.firstFailure ? ` (the first: ${run.firstFailure})` : "";
  return `${run.failedItems} of ${items} gate items failed for ${version} in run ${run.id} on ${where}${first}; a gate needs every item to run and be scored.`;
}

/** "40 items", "38 of 40 items", or per scorer when they differ: "thanks 38 and concise 40 of 40 items". */
export function pairedItems(scorers: PairedGateFacts["scorers"], items: number): string {
  const counts = new Set(scorers.map((s) => s.n));
  if (counts.size === 1) {
    const [n] = counts;
    return n === items ? plural(items, "item") : `${n} of ${plural(items, "item")}`;
  }
  return `${scorers.map((s) => `${s.name} ${s.n}`).join(", ")} of ${plural(items, "item")}`;
}

export type PairedShortfall =
  | { kind: "no_scorers"; detail: string }
  | { kind: "too_few"; detail: string }
  | { kind: "untested"; detail: string }
  | { kind: "small_loss"; detail: string };

/**
 * Why the paired comparison of `version` with `live` (both in words: "version 4", "live version 3") cannot pass whatever its p-values say,
 * or null. `baseline` is the live version's counting run (its failures explain missing pairs).
 */
export function pairedShortfall(
  paired: PairedGateFacts,
  items: number,
  version: string,
  live: string,
  baseline: CountingRunFact,
): PairedShortfall | null {
  if (!paired.scorers.length)
    return { kind: "no_scorers", detail: `No gate scorer could be compared with ${live}'s run.` };
  const need = pairsNeeded(items);
  const short = paired.scorers.filter((s) => s.n < need);
  if (short.length) {
    const liveFailed = baseline.failedItems
      ? ` ${cap(live)}'s run ${baseline.id} failed on ${baseline.failedItems} of ${items} items${baseline.firstFailure ? ` (the first: ${baseline.firstFailure})` : ""}.`
      : "";
    const rule =
      need === items
        ? `every one of the gate's ${plural(items, "item")}`
        : `${need} (80% of the gate's ${items} items, and at least ${MIN_PAIRS})`;
    return {
      kind: "too_few",
      detail: `Too few paired items ${short.map((s) => `on ${s.name}: ${s.n} of ${items}`).join(", and ")}; a paired gate needs ${rule} scored by both ${version} and ${live} on every gate scorer.${liveFailed}`,
    };
  }
  // A p-value is missing only below two pairs: one pair passes only when it did not move.
  const untested = paired.scorers.filter((s) => s.adjustedPValue === null && !(s.n === 1 && s.meanDiff === 0));
  if (untested.length)
    return {
      kind: "untested",
      detail: `The paired test could not be computed ${untested.map((s) => `on ${s.name} (${plural(s.n, "pair")})`).join(", and ")}; a gate passes only on a test.`,
    };
  if (items < MIN_PAIRS) {
    const lower = paired.scorers.filter((s) => s.meanDiff !== null && s.meanDiff < -EPS);
    if (lower.length)
      return {
        kind: "small_loss",
        detail: `On a gate of fewer than ${MIN_PAIRS} items a paired test can hardly find a loss, so no gate scorer may be lower on average: ${version} is below ${live} ${lower.map((s) => `on ${s.name} by ${points(-s.meanDiff!)} points`).join(", and ")} (${plural(items, "item")}).`,
      };
  }
  return null;
}
