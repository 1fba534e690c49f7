// What a gate's run must show before its score or its paired comparison means anything. Pure; the
// evaluation step (plan-evaluation.ts) applies it in every mode, so the release plan, promote, review
// approval, auto-promote, experiments and the API refuse the same runs.
//
// - Every item ran: a gate's dataset is fixed, so a run in which any of its items failed (the version
//   could not be rendered for it, the model call failed, a gate scorer could not judge it) is missing
//   evidence, not a result. A run's score is the mean over the items that have one, and a paired
//   comparison pairs only items both runs scored: counting only what ran would let a version that fails
//   on 39 of 40 items pass on the one that worked. No failure is tolerated (a new run retries one that
//   was passing); the run's failures are named.
import type { CountingRunFact } from "./plan";

/** Why a counting run is not evidence for the gate (some of its items failed), or null. */
export function failedRunDetail(run: CountingRunFact, version: number, items: number, where: string): string | null {
  if (run.failedItems === 0) return null;
  const first = run.firstFailure ? ` (the first: ${run.firstFailure})` : "";
  return `${run.failedItems} of ${items} gate items failed for version ${version} in run ${run.id} on ${where}${first}; a gate needs every item to run and be scored.`;
}
