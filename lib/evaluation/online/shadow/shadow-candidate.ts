// Shadow evaluation, the read side of one candidate (shadow-read.ts gathers them): a version, or a version
// rendered with other versions of partials it includes ("support-reply v3 with shared/tone v2":
// docs/decisions/shadow-evaluation.md), against the live version over the candidate's window — paired differences,
// wins, cost and latency, and on request its answers beside the live ones. A composition's answers are never mixed with
// its version's.
import { desc, eq, sql } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { onlineSamples, shadowResults } from "../../../../db/schema";
import {
  candidateAgainstLive,
  pairShadow,
  pairsInWords,
  shadowAnswers,
  unevenPairs,
  type ShadowAnswer,
} from "../../../release/plan/shadow-pairing";
import { pairedVerdict } from "../../../scorers";
import type { ShadowComposition } from "../contracts";
import type { getOnlineEvaluation } from "../rules";
import { candidateWords } from "./shadow-compositions";
import { compositionKey } from "./shadow-config";

type Rule = Awaited<ReturnType<typeof getOnlineEvaluation>>;

/**
 * Win, tie or loss: the pairwise judge's verdict (one it could not give counts as a loss), else a loss
 * where a scorer failed on the candidate's answer and scored the live one, else the weighted scores.
 */
function outcome(r: ShadowAnswer, lostToError: boolean): "win" | "tie" | "loss" | null {
  if (r.preference)
    return !("winner" in r.preference)
      ? "loss"
      : r.preference.winner === "candidate"
        ? "win"
        : r.preference.winner === "live"
          ? "loss"
          : "tie";
  if (lostToError) return "loss";
  if (r.score === null || r.liveScore === null) return null;
  const d = r.score - r.liveScore;
  return Math.abs(d) < 1e-9 ? "tie" : d > 0 ? "win" : "loss";
}

/** Counts, cost and latency differences over a candidate's window, in SQL. */
async function windowTotals(db: Db, ruleId: string, c: ShadowComposition, live: number, window: number) {
  const w = db.$with("w").as(
    db
      .select({
        id: shadowResults.id,
        status: shadowResults.status,
        error: shadowResults.error,
        createdAt: shadowResults.createdAt,
        cost: sql<number | null>`${shadowResults.answerCostUsd} - ${shadowResults.liveCostUsd}`.as("cost"),
        latency: sql<number | null>`${shadowResults.latencyMs} - ${shadowResults.liveLatencyMs}`.as("latency"),
      })
      .from(shadowResults)
      .where(candidateAgainstLive(ruleId, c.version, live, c.partials))
      .orderBy(desc(shadowResults.id))
      .limit(window),
  );
  const [row] = await db
    .with(w)
    .select({
      failed: sql<number>`count(*) filter (where ${w.status} = 'failed')`.mapWith(Number),
      costUsdDiff: sql<number | null>`avg(${w.cost}) filter (where ${w.status} = 'done')`.mapWith(Number),
      latencyMsDiff: sql<number | null>`avg(${w.latency}) filter (where ${w.status} = 'done')`.mapWith(Number),
      since: sql<Date | null>`min(${w.createdAt})`.mapWith(shadowResults.createdAt),
      lastError: sql<
        string | null
      >`(array_agg(${w.error} order by ${w.id} desc) filter (where ${w.status} = 'failed'))[1]`,
    })
    .from(w);
  return row!;
}

/** The candidate's latest `limit` answers beside the live ones, with the input. */
async function sideBySide(db: Db, ruleId: string, c: ShadowComposition, live: number, limit: number) {
  const rows = await db
    .select({
      sampleId: shadowResults.sampleId,
      liveVersion: shadowResults.liveVersion,
      output: shadowResults.output,
      score: shadowResults.score,
      scores: shadowResults.scores,
      error: shadowResults.error,
      preference: shadowResults.preference,
      createdAt: shadowResults.createdAt,
      input: onlineSamples.input,
      liveOutput: onlineSamples.output,
      liveScore: onlineSamples.score,
    })
    .from(shadowResults)
    .leftJoin(onlineSamples, eq(onlineSamples.id, shadowResults.sampleId))
    .where(candidateAgainstLive(ruleId, c.version, live, c.partials))
    .orderBy(desc(shadowResults.id))
    .limit(limit);
  return rows.map((r) => ({
    sampleId: r.sampleId,
    input: r.input ?? null,
    live: { version: r.liveVersion, output: r.liveOutput ?? "", score: r.liveScore ?? null },
    candidate: {
      version: c.version,
      partials: c.partials,
      output: r.output,
      score: r.score,
      scores: r.scores,
      error: r.error,
    },
    preference: r.preference,
    at: r.createdAt.toISOString(),
  }));
}

/** Whether the rule's setting names this candidate now. */
const named = (config: Rule["shadow"], c: ShadowComposition) =>
  Object.keys(c.partials).length
    ? (config?.compositions ?? []).some((x) => compositionKey(x) === compositionKey(c))
    : (config?.versions.includes(c.version) ?? false);

/** One candidate against the live version, over its window. */
export async function candidateComparison(
  db: Db,
  rule: Rule,
  at: { prompt: string; environment: string },
  live: number | null,
  c: ShadowComposition & { current: number; earlier: number },
  window: number,
  pairs: number | null,
) {
  const { version, partials } = c;
  const composed = Object.keys(partials).length > 0;
  // "v4"; a composition names its prompt too: "support-reply v3 with shared/tone v2".
  const words = candidateWords(c);
  const label = composed ? `${at.prompt} ${words}` : words;
  const rows = live === null ? [] : await shadowAnswers(db, rule.id, version, live, window, partials);
  const done = rows.filter((r) => r.status === "done");
  const { paired, n, scorers, lostToErrors } = await pairShadow(db, rule, done);
  const totals = live === null ? null : await windowTotals(db, rule.id, c, live, window);
  const outcomes = done.map((r) => outcome(r, lostToErrors.has(r.sampleId)));
  const uneven = unevenPairs(scorers, done.length);
  return {
    version,
    /** Partial versions it is rendered with instead of the environment's ({} for a plain version). */
    partials,
    /** How the page names it. */
    label,
    active: named(rule.shadow, c),
    liveVersion: live,
    /** Inputs compared on every scorer: the smallest per-scorer count of pairs (what requiresShadow counts). */
    n,
    answered: done.length,
    failed: totals?.failed ?? 0,
    /** The latest `answers` answers against the live version are compared; `leftOut` older ones are not. */
    window: {
      answers: window,
      since: totals?.since?.toISOString() ?? null,
      leftOut: Math.max(0, c.current - rows.length),
    },
    /** Each scorer's pairs, and how many are scorer errors on the candidate's answers counted as losses. */
    pairsPerScorer: scorers,
    /** Answers compared with an earlier live version: left out of every number here. */
    earlierLive: c.earlier,
    wins: outcomes.filter((o) => o === "win").length,
    ties: outcomes.filter((o) => o === "tie").length,
    losses: outcomes.filter((o) => o === "loss").length,
    /** Where wins come from: the pairwise judge (both orders; a changed verdict is a tie) or the weighted scores. */
    winsFrom: rule.shadow?.judge ? ("judge" as const) : ("scores" as const),
    paired: { alpha: paired.alpha, test: "paired t, Holm across scorers", ...paired.overall },
    scorers: paired.scorers.map(({ name, type, ...p }) => ({ name, type, paired: p })),
    /** A scorer (or the weighted score) significantly worse than live. */
    significantLoss: paired.overall.direction === "worse" || paired.scorers.some((s) => s.direction === "worse"),
    verdict:
      live === null
        ? `Nothing is live in ${at.environment}: there is no answer to compare ${words} with.`
        : pairedVerdict(paired, { a: `live v${live}`, b: words }, "input") +
          (uneven
            ? ` Compared on every scorer: ${n} of ${done.length} inputs (pairs per scorer: ${pairsInWords(scorers, words)}).`
            : ""),
    costUsdDiff: totals?.costUsdDiff ?? null,
    latencyMsDiff: totals?.latencyMsDiff ?? null,
    lastError: totals?.lastError ?? null,
    pairs: pairs === null || live === null ? undefined : await sideBySide(db, rule.id, c, live, pairs),
  };
}
