// What the release plan's shadow step reads: the version's latest shadow answers (lib/evaluation/online/
// shadow.ts writes them) to live inputs of the environment's live version, paired with the live answers'
// scores (shadow-pairing.ts, which the online page's comparison reads too). For a partial's dependent
// (docs/decisions/partial-releases.md), the answers of the dependent's version rendered with the partial's candidate
// version.
import { and, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { onlineEvalRules } from "../../../db/schema";
import { pairShadow, shadowAnswers, shadowWindow, type ScorerPairs } from "./shadow-pairing";

export interface ShadowFacts {
  minInputs: number;
  /** The environment has an online rule naming this version (with these partials, if any) as a shadow candidate. */
  candidate: boolean;
  /** The prompt has an online evaluation rule in the environment (where shadow candidates are named). */
  rule: boolean;
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

/** Same partial names and versions. */
const samePartials = (a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/**
 * The version's shadow comparison with `live` in the environment, for the plan's shadow step; with
 * `partials`, the version rendered with those partial versions (a composition candidate).
 */
export async function shadowFacts(
  db: Db,
  promptId: string,
  environmentId: string,
  version: number,
  live: number,
  minInputs: number,
  partials: Readonly<Record<string, number>> = {},
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
  if (!rule) return { minInputs, candidate: false, rule: false, answered: 0, n: 0, scorers: [], worse: [], window };
  const done = (await shadowAnswers(db, rule.id, version, live, window, partials)).filter((r) => r.status === "done");
  const { paired: p, n, scorers } = await pairShadow(db, rule, done);
  const worse = [
    ...p.scorers.filter((s) => s.direction === "worse"),
    ...(p.overall.direction === "worse" ? [{ ...p.overall, name: "weighted score" }] : []),
  ].map((s) => ({ name: s.name, meanDiff: s.meanDiff!, ci: s.ci, adjustedPValue: s.adjustedPValue }));
  return {
    minInputs,
    candidate: Object.keys(partials).length
      ? (rule.shadow?.compositions ?? []).some((c) => c.version === version && samePartials(c.partials, partials))
      : (rule.shadow?.versions.includes(version) ?? false),
    rule: true,
    answered: done.length,
    n,
    scorers,
    worse,
    window,
  };
}
