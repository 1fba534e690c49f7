// What the release plan's shadow step reads: the version's shadow answers (lib/evaluation/online/shadow.ts
// writes them) to live inputs of the environment's live version, paired with the live answers' scores.
// The pairing lives here, beside the plan, so both the plan and the online page's comparison
// (lib/evaluation/online/shadow-read.ts) read one implementation without release importing evaluation.
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { onlineEvalRules, onlineScores, shadowResults } from "../../db/schema";
import { pairRuns, type NamedScorerSpec, type PairedRuns, type RunUnit } from "../scorers";

type ShadowResult = typeof shadowResults.$inferSelect;

/** The live side of each sample as scorer outcomes (the rule's specs give type, weight and threshold). */
export async function liveUnits(db: Db, specs: readonly NamedScorerSpec[], sampleIds: number[]): Promise<RunUnit[]> {
  if (!sampleIds.length) return [];
  const rows = await db.select().from(onlineScores).where(inArray(onlineScores.sampleId, sampleIds));
  const bySample = new Map<number, typeof rows>();
  for (const r of rows) bySample.set(r.sampleId, [...(bySample.get(r.sampleId) ?? []), r]);
  return sampleIds.map((id) => ({
    itemId: String(id),
    results: (bySample.get(id) ?? []).flatMap((r) => {
      const spec = specs.find((s) => s.name === r.scorer);
      if (!spec) return [];
      const error = r.score === null ? r.reason || "not scored" : undefined;
      return [
        {
          name: r.scorer,
          type: spec.type,
          weight: spec.weight,
          threshold: spec.threshold,
          score: r.score ?? 0,
          passed: r.passed ?? false,
          reason: r.reason,
          ...(error !== undefined ? { error } : {}),
        },
      ];
    }),
  }));
}

/** A candidate's answered results against the live ones, per scorer (paired t / Wilcoxon, Holm). */
export async function pairShadow(
  db: Db,
  rule: { scorers: readonly NamedScorerSpec[]; alpha: number },
  done: readonly ShadowResult[],
): Promise<PairedRuns> {
  const live = await liveUnits(
    db,
    rule.scorers,
    done.map((r) => r.sampleId),
  );
  const candidate: RunUnit[] = done.map((r) => ({ itemId: String(r.sampleId), results: r.scores }));
  return pairRuns(live, candidate, { alpha: rule.alpha });
}

export interface ShadowFacts {
  minInputs: number;
  /** The environment has an online rule naming this version as a shadow candidate. */
  candidate: boolean;
  /** Inputs both the version and the live version answered. */
  n: number;
  /** Scorers (and the weighted score, as "weighted score") significantly worse than live. */
  worse: { name: string; meanDiff: number; ci: [number, number] | null; adjustedPValue: number | null }[];
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
  const [rule] = await db
    .select({
      id: onlineEvalRules.id,
      scorers: onlineEvalRules.scorers,
      alpha: onlineEvalRules.alpha,
      shadow: onlineEvalRules.shadow,
    })
    .from(onlineEvalRules)
    .where(and(eq(onlineEvalRules.promptId, promptId), eq(onlineEvalRules.environmentId, environmentId)));
  if (!rule) return { minInputs, candidate: false, n: 0, worse: [] };
  const done = await db
    .select()
    .from(shadowResults)
    .where(
      and(
        eq(shadowResults.ruleId, rule.id),
        eq(shadowResults.candidateVersion, version),
        eq(shadowResults.liveVersion, live),
        eq(shadowResults.status, "done"),
      ),
    );
  const p = await pairShadow(db, rule, done);
  const worse = [
    ...p.scorers.filter((s) => s.direction === "worse"),
    ...(p.overall.direction === "worse" ? [{ ...p.overall, name: "weighted score" }] : []),
  ].map((s) => ({ name: s.name, meanDiff: s.meanDiff!, ci: s.ci, adjustedPValue: s.adjustedPValue }));
  return { minInputs, candidate: rule.shadow?.versions.includes(version) ?? false, n: p.items, worse };
}
