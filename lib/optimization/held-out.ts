// The final word on a candidate: the starting version and the best candidate answer every held-out item
// (items the search never saw), and Lectern's paired statistics (lib/scorers/paired-runs.ts, as for comparing
// two evaluation runs) say item by item whether the candidate is better, worse or not distinguishable.
import type { DatasetItemRow } from "../evaluation/datasets/datasets";
import type { Content } from "../registry/content";
import { pairedVerdict, pairRuns, type PairedRuns, type RunUnit } from "../scorers";
import type { OptimizationResult } from "./contracts";
import { answerAndScore, type ProgramEnv } from "./program";

/** The comparison in words: the candidate is "the optimized draft" when it became one, else "the best candidate". */
export const heldOutVerdict = (paired: PairedRuns, version: number, draft: boolean) =>
  pairedVerdict(paired, { a: `version ${version}`, b: draft ? "the optimized draft" : "the best candidate" });

const mean = (xs: (number | null)[]) => {
  const ok = xs.filter((x): x is number => x !== null);
  return ok.length ? ok.reduce((s, x) => s + x, 0) / ok.length : null;
};

/**
 * Both contents on every held-out item, one item at a time (the base first). Throws BudgetExhausted when
 * the budget refuses a call: a comparison over part of the split is not the comparison promised.
 */
export async function compareOnHeldOut(
  env: ProgramEnv,
  heldOut: readonly DatasetItemRow[],
  base: { version: number; content: Content },
  candidate: Content,
): Promise<NonNullable<OptimizationResult["comparison"]>> {
  const a: RunUnit[] = [];
  const b: RunUnit[] = [];
  const scores = { a: [] as (number | null)[], b: [] as (number | null)[] };
  for (const item of heldOut) {
    const ra = await answerAndScore(env, base.content, item);
    const rb = await answerAndScore(env, candidate, item);
    a.push({ itemId: item.id, results: ra.outcomes });
    b.push({ itemId: item.id, results: rb.outcomes });
    scores.a.push(ra.score);
    scores.b.push(rb.score);
  }
  const paired = pairRuns(a, b);
  return {
    ...paired,
    verdict: heldOutVerdict(paired, base.version, true),
    base: { version: base.version, score: mean(scores.a) },
    candidate: { score: mean(scores.b) },
  };
}

const pts = (x: number | null | undefined) => (x === null || x === undefined ? "–" : (x * 100).toFixed(1));

/**
 * Why the candidate is not an improvement, or null when it is: better on the held-out items overall, by
 * the paired comparison (significant at its alpha), and significantly worse on no scorer. A draft is made
 * only for an improvement; anything else would ask a reviewer to merge a change nobody showed was better.
 */
export function noImprovementReason(c: NonNullable<OptimizationResult["comparison"]>): string | null {
  const worse = c.scorers.filter((s) => s.direction === "worse").map((s) => s.name);
  const scores = `${pts(c.base.score)} → ${pts(c.candidate.score)} over ${c.items} held-out item${c.items === 1 ? "" : "s"}`;
  if (c.overall.direction === "better" && !worse.length) return null;
  if (c.overall.direction === "better")
    return `The best candidate scored better overall (${scores}) but significantly worse on ${worse.join(", ")}, so it is not offered as an improvement.`;
  if (c.overall.direction === "worse")
    return `The best candidate scored significantly worse than version ${c.base.version} on the held-out items (${scores}).`;
  return `The best candidate was not significantly better than version ${c.base.version} on the held-out items (${scores}${c.overall.adjustedPValue !== null ? `, p = ${c.overall.adjustedPValue < 0.001 ? "< 0.001" : c.overall.adjustedPValue.toFixed(3)}` : ""}).`;
}
