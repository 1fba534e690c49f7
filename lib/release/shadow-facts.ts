// What the release plan's shadow step reads: the version's latest shadow answers (lib/evaluation/online/
// shadow.ts writes them) to live inputs of the environment's live version, paired with the live answers'
// scores (shadow-pairing.ts, which the online page's comparison reads too).
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { onlineEvalRules } from "../../db/schema";
import { pairShadow, shadowAnswers, shadowWindow, type ScorerPairs } from "./shadow-pairing";

export interface ShadowFacts {
  minInputs: number;
  /** The environment has an online rule naming this version as a shadow candidate. */
  candidate: boolean;
  /** Inputs the version answered (within the window). */
  answered: number;
  /**
   * Inputs compared with the live version on every scorer of the rule: the smallest per-scorer count of
   * pairs (a scorer error on the version's answer where the live one scored is a pair, counted a loss).
   */
  n: number;
  /** Each scorer's pairs, and how many of them are the version's scorer errors counted as losses. */
  scorers: ScorerPairs[];
  /** Scorers (and the weighted score, as "weighted score") significantly worse than live. */
  worse: { name: string; meanDiff: number; ci: [number, number] | null; adjustedPValue: number | null }[];
  /** The comparison covers the version's latest this many answers. */
  window: number;
}

/** The version's shadow comparison with `live` in the environment, for the plan's shadow step. */
export async function shadowFacts(
  db: Db,
  promptId: string,
  environmentId: string,
  version: number,
  live: number,
  minInputs: number,
): Promise<ShadowFacts> {
  const window = shadowWindow(minInputs);
  const [rule] = await db
    .select({
      id: onlineEvalRules.id,
      scorers: onlineEvalRules.scorers,
      alpha: onlineEvalRules.alpha,
      shadow: onlineEvalRules.shadow,
    })
    .from(onlineEvalRules)
    .where(and(eq(onlineEvalRules.promptId, promptId), eq(onlineEvalRules.environmentId, environmentId)));
  if (!rule) return { minInputs, candidate: false, answered: 0, n: 0, scorers: [], worse: [], window };
  const done = (await shadowAnswers(db, rule.id, version, live, window)).filter((r) => r.status === "done");
  const { paired: p, n, scorers } = await pairShadow(db, rule, done);
  const worse = [
    ...p.scorers.filter((s) => s.direction === "worse"),
    ...(p.overall.direction === "worse" ? [{ ...p.overall, name: "weighted score" }] : []),
  ].map((s) => ({ name: s.name, meanDiff: s.meanDiff!, ci: s.ci, adjustedPValue: s.adjustedPValue }));
  return {
    minInputs,
    candidate: rule.shadow?.versions.includes(version) ?? false,
    answered: done.length,
    n,
    scorers,
    worse,
    window,
  };
}
