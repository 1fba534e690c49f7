// A candidate's shadow answers paired with the live answers' scores: what the release plan's shadow step
// (shadow-facts.ts) and the online page's comparison (lib/evaluation/online/shadow/shadow-read.ts) both read, so
// the two agree on every number. It lives beside the plan so release does not import evaluation.
//
// Bounded: a comparison covers the candidate's latest SHADOW_WINDOW answers against the live version (or
// the environment's requiresShadow.minInputs when larger), read without their outputs; the live side's
// scores come in one array parameter, whatever the number of samples.
//
// Counted honestly: an input counts for a scorer only when both sides have a score for it, and n (what
// minInputs is held against) is the smallest such count over the rule's scorers, so answers no scorer
// could judge never make up the number. A scorer that errored on the candidate's answer while the live
// answer got a score counts as a loss for the candidate, with the candidate's score 0: an answer that
// breaks a judge (too long, or steering it away from its JSON verdict) must not pass as unjudged.
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { onlineSamples, onlineScores, shadowResults } from "../../../db/schema";
import { pairRuns, type NamedScorerSpec, type PairedRuns, type RunUnit } from "../../scorers";

/** A comparison covers each candidate's latest this many answers against the live version. */
export const SHADOW_WINDOW = 2000;

/** The window of an environment: SHADOW_WINDOW answers, or its requiresShadow.minInputs when larger. */
export const shadowWindow = (minInputs: number | null | undefined) => Math.max(SHADOW_WINDOW, minInputs ?? 0);

/**
 * A rule's answers by one candidate against one live version (the unit every comparison reads): the version
 * plain (`partials` {}), or rendered with those partial versions, never the two mixed.
 */
export const candidateAgainstLive = (
  ruleId: string,
  version: number,
  live: number,
  partials: Readonly<Record<string, number>> = {},
) =>
  and(
    eq(shadowResults.ruleId, ruleId),
    eq(shadowResults.candidateVersion, version),
    eq(shadowResults.liveVersion, live),
    sql`${shadowResults.candidatePartials} = ${JSON.stringify(partials)}::jsonb`,
  );

/** One shadow answer as the comparison reads it: no outputs, and the live answer's weighted score. */
export type ShadowAnswer = {
  id: number;
  sampleId: number;
  status: "done" | "failed";
  score: number | null;
  scores: (typeof shadowResults.$inferSelect)["scores"];
  preference: (typeof shadowResults.$inferSelect)["preference"];
  liveScore: number | null;
};

/** The latest `limit` answers (done and failed) of `version` to inputs of live version `live`, newest first. */
export async function shadowAnswers(
  db: Db,
  ruleId: string,
  version: number,
  live: number,
  limit: number,
  partials: Readonly<Record<string, number>> = {},
): Promise<ShadowAnswer[]> {
  return db
    .select({
      id: shadowResults.id,
      sampleId: shadowResults.sampleId,
      status: shadowResults.status,
      score: shadowResults.score,
      scores: shadowResults.scores,
      preference: shadowResults.preference,
      liveScore: onlineSamples.score,
    })
    .from(shadowResults)
    .leftJoin(onlineSamples, eq(onlineSamples.id, shadowResults.sampleId))
    .where(candidateAgainstLive(ruleId, version, live, partials))
    .orderBy(desc(shadowResults.id))
    .limit(limit);
}

/** The live side of each sample as scorer outcomes (the rule's specs give type, weight and threshold). */
export async function liveUnits(db: Db, specs: readonly NamedScorerSpec[], sampleIds: number[]): Promise<RunUnit[]> {
  if (!sampleIds.length) return [];
  // One array parameter, not one per id: PostgreSQL takes at most 65,535 parameters in a statement.
  const rows = await db
    .select()
    .from(onlineScores)
    .where(sql`${onlineScores.sampleId} = any(${sql.param(sampleIds)}::bigint[])`);
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

/** Per scorer of the rule: the inputs both sides have a score for, and how many of them are candidate errors. */
export type ScorerPairs = { name: string; pairs: number; errorsAsLosses: number };

export interface ShadowPairing {
  paired: PairedRuns;
  /** Inputs compared on every scorer of the rule: the smallest count of pairs. */
  n: number;
  scorers: ScorerPairs[];
  /** Samples where a scorer errored on the candidate's answer and scored the live one (each counted a loss). */
  lostToErrors: Set<number>;
}

/** A candidate's answered results against the live ones, per scorer (paired t / Wilcoxon, Holm). */
export async function pairShadow(
  db: Db,
  rule: { scorers: readonly NamedScorerSpec[]; alpha: number },
  done: readonly Pick<ShadowAnswer, "sampleId" | "scores">[],
): Promise<ShadowPairing> {
  const live = await liveUnits(
    db,
    rule.scorers,
    done.map((r) => r.sampleId),
  );
  const scoredLive = new Map(
    live.map((u) => [u.itemId, new Set(u.results.filter((r) => r.error === undefined).map((r) => r.name))]),
  );
  const errors = new Map<string, number>();
  const lostToErrors = new Set<number>();
  const candidate: RunUnit[] = done.map((r) => ({
    itemId: String(r.sampleId),
    results: r.scores.map((s) => {
      if (s.error === undefined || !scoredLive.get(String(r.sampleId))?.has(s.name)) return s;
      errors.set(s.name, (errors.get(s.name) ?? 0) + 1);
      lostToErrors.add(r.sampleId);
      const { error, ...rest } = s;
      return { ...rest, score: 0, passed: false, reason: `counted as a loss: the scorer failed (${error})` };
    }),
  }));
  const paired = pairRuns(live, candidate, { alpha: rule.alpha });
  const scorers = rule.scorers.map((s) => ({
    name: s.name,
    pairs: paired.scorers.find((p) => p.name === s.name)?.n ?? 0,
    errorsAsLosses: errors.get(s.name) ?? 0,
  }));
  const n = scorers.length ? Math.min(...scorers.map((s) => s.pairs)) : paired.overall.n;
  return { paired, n, scorers, lostToErrors };
}

/** "faithful 0, length 12 (3 scorer errors on v2's answers counted as losses)": each scorer's pairs. */
export function pairsInWords(scorers: readonly ScorerPairs[], candidate: string): string {
  return scorers
    .map(
      (s) =>
        `${s.name} ${s.pairs}${s.errorsAsLosses ? ` (${s.errorsAsLosses} scorer error${s.errorsAsLosses === 1 ? "" : "s"} on ${candidate}'s answers counted as loss${s.errorsAsLosses === 1 ? "" : "es"})` : ""}`,
    )
    .join(", ");
}

/** Whether the pair counts say more than "n inputs": a scorer with fewer pairs, or errors counted as losses. */
export const unevenPairs = (scorers: readonly ScorerPairs[], answered: number) =>
  scorers.some((s) => s.pairs !== answered || s.errorsAsLosses > 0);
