// Shadow evaluation, the read side: per candidate version, its answers against the live version's on
// the same inputs — the paired score difference per scorer with its interval (paired t, Wilcoxon,
// Holm across the rule's scorers: lib/scorers/paired.ts), the win/tie/loss count (the pairwise judge's
// when the rule has one, else the weighted scores'), the cost and latency differences, the day's
// budget, and on request the answers side by side. Only answers compared with the version live now
// count; answers compared with an earlier live version are counted apart.
// Bounded, whatever a rule has answered: each candidate's numbers cover its latest answers (the window:
// lib/release/shadow-pairing.ts, shared with the release plan's step), counts, costs and latencies are
// aggregated in SQL, the pairing reads no outputs, and the answers side by side come with a LIMIT.
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { readEach, type Db } from "../../../db/client";
import { onlineSamples, shadowResultCounts, shadowResults } from "../../../db/schema";
import { liveVersions } from "../../release/deployments";
import { getEnvironment } from "../../release/environments";
import {
  candidateAgainstLive,
  pairShadow,
  pairsInWords,
  shadowAnswers,
  shadowWindow,
  unevenPairs,
  type ShadowAnswer,
} from "../../release/shadow-pairing";
import { pairedVerdict } from "../../scorers";
import { countParam, versionParam } from "../../registry/numbers";
import { getPrompt } from "../../registry/prompts";
import { getOnlineRule } from "./rules";
import { callsPerAnswer } from "./shadow-config";
import { budgetStop, dayStart, shadowSpend } from "./shadow-budget";

/** The query of GET /api/v1/prompts/{name}/shadow (and of its OpenAPI parameters). */
export const shadowQuery = z.object({
  environment: z
    .string()
    .min(1, { error: "environment must not be empty (leave it out for production)" })
    .max(36, { error: "environment must be at most 36 characters" })
    .default("production")
    .describe(
      "The rule's environment; production when left out, as for resolve. One the project does not have: 404 naming it.",
    ),
  version: versionParam("version").optional().describe("Adds this candidate's answers beside the live ones."),
  pairs: countParam("pairs", 1, 100).default(20),
});

type Rule = Awaited<ReturnType<typeof getOnlineRule>>;

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

/** The live version's latest `window` scored samples of the rule, and how many of them have no variables. */
async function liveInputs(db: Db, ruleId: string, live: number, window: number) {
  const latest = db.$with("latest").as(
    db
      .select({ input: onlineSamples.input })
      .from(onlineSamples)
      .where(and(eq(onlineSamples.ruleId, ruleId), eq(onlineSamples.version, live), eq(onlineSamples.status, "scored")))
      .orderBy(desc(onlineSamples.id))
      .limit(window),
  );
  const [row] = await db
    .with(latest)
    .select({
      samples: sql<number>`count(*)`.mapWith(Number),
      withoutVariables:
        sql<number>`count(*) filter (where jsonb_typeof(${latest.input}) is distinct from 'object')`.mapWith(Number),
    })
    .from(latest);
  return { samples: row?.samples ?? 0, withoutVariables: row?.withoutVariables ?? 0 };
}

/** Counts, cost and latency differences over a candidate's window, in SQL. */
async function windowTotals(db: Db, ruleId: string, version: number, live: number, window: number) {
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
      .where(candidateAgainstLive(ruleId, version, live))
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
async function sideBySide(db: Db, ruleId: string, version: number, live: number, limit: number) {
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
    .where(candidateAgainstLive(ruleId, version, live))
    .orderBy(desc(shadowResults.id))
    .limit(limit);
  return rows.map((r) => ({
    sampleId: r.sampleId,
    input: r.input ?? null,
    live: { version: r.liveVersion, output: r.liveOutput ?? "", score: r.liveScore ?? null },
    candidate: { version, output: r.output, score: r.score, scores: r.scores, error: r.error },
    preference: r.preference,
    at: r.createdAt.toISOString(),
  }));
}

/** One candidate against the live version, over its window. */
async function candidateComparison(
  db: Db,
  rule: Rule,
  environment: string,
  live: number | null,
  c: { version: number; current: number; earlier: number },
  window: number,
  pairs: number | null,
) {
  const { version } = c;
  const rows = live === null ? [] : await shadowAnswers(db, rule.id, version, live, window);
  const done = rows.filter((r) => r.status === "done");
  const { paired, n, scorers, lostToErrors } = await pairShadow(db, rule, done);
  const totals = live === null ? null : await windowTotals(db, rule.id, version, live, window);
  const outcomes = done.map((r) => outcome(r, lostToErrors.has(r.sampleId)));
  const uneven = unevenPairs(scorers, done.length);
  return {
    version,
    active: rule.shadow?.versions.includes(version) ?? false,
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
        ? `Nothing is live in ${environment}: there is no answer to compare v${version} with.`
        : pairedVerdict(paired, { a: `live v${live}`, b: `v${version}` }, "input") +
          (uneven
            ? ` Compared on every scorer: ${n} of ${done.length} inputs (pairs per scorer: ${pairsInWords(scorers, `v${version}`)}).`
            : ""),
    costUsdDiff: totals?.costUsdDiff ?? null,
    latencyMsDiff: totals?.latencyMsDiff ?? null,
    lastError: totals?.lastError ?? null,
    pairs: pairs === null || live === null ? undefined : await sideBySide(db, rule.id, version, live, pairs),
  };
}

/**
 * The shadow comparison of a prompt in one environment (GET /api/v1/prompts/{name}/shadow; the route's
 * environment defaults to production, as for resolve and the rule's other reads). `version`
 * adds that candidate's (or every candidate's: "all") latest `pairs` answers beside the live ones.
 */
export async function shadowComparison(
  db: Db,
  projectId: string,
  promptName: string,
  environment: string,
  opts: { version?: number | "all"; pairs?: number; now?: Date } = {},
) {
  // An environment the project does not have is named as such (404, with the ones it has), not taken
  // for one without a rule.
  const env = await getEnvironment(db, projectId, environment);
  const rule = await getOnlineRule(db, projectId, promptName, environment);
  const prompt = await getPrompt(db, projectId, promptName);
  const live =
    (await liveVersions(db, projectId, prompt.id)).find((l) => l.environment === environment)?.live?.version ?? null;
  const config = rule.shadow;
  const perAnswer = config ? callsPerAnswer(config, rule.scorers) : 0;
  const spent = await shadowSpend(db, rule.id, opts.now ?? new Date());
  // The same window as the release plan's step in this environment, so the two agree.
  const window = shadowWindow(env.shadowMinInputs);
  // Versions are numbered from 1: with nothing live, every answer was to an earlier live version.
  const liveOr0 = live ?? 0;
  // From the counts a trigger keeps (migration 0032), not every answer.
  const answered = (
    await db
      .select({
        version: shadowResultCounts.candidateVersion,
        current:
          sql<number>`sum(${shadowResultCounts.n}) filter (where ${shadowResultCounts.liveVersion} = ${liveOr0})`.mapWith(
            Number,
          ),
        earlier:
          sql<number>`sum(${shadowResultCounts.n}) filter (where ${shadowResultCounts.liveVersion} <> ${liveOr0})`.mapWith(
            Number,
          ),
      })
      .from(shadowResultCounts)
      .where(eq(shadowResultCounts.ruleId, rule.id))
      .groupBy(shadowResultCounts.candidateVersion)
      .having(sql`sum(${shadowResultCounts.n}) > 0`)
  ).map((r) => ({ ...r, current: r.current || 0, earlier: r.earlier || 0 }));
  const versions = [...new Set([...(config?.versions ?? []), ...answered.map((r) => r.version)])]
    .filter((v) => v !== live)
    .sort((a, b) => a - b);
  const pairs = Math.min(opts.pairs ?? 20, 100);
  const inputs = live === null ? null : await liveInputs(db, rule.id, live, window);
  const candidates = await readEach(db, versions, (version) =>
    candidateComparison(
      db,
      rule,
      environment,
      live,
      answered.find((r) => r.version === version) ?? { version, current: 0, earlier: 0 },
      window,
      opts.version === version || opts.version === "all" ? pairs : null,
    ),
  );
  return {
    prompt: promptName,
    environment,
    ruleId: rule.id,
    liveVersion: live,
    config,
    /** Each candidate's numbers cover its latest this many answers against the live version. */
    window: { answers: window },
    /** Of the live version's latest scored samples (a window's worth), those without variables (a message, or
     * messages): no candidate can be rendered from them, so shadow evaluation skips them. Null: nothing live. */
    inputs,
    budget: config
      ? {
          day: dayStart(opts.now ?? new Date())
            .toISOString()
            .slice(0, 10),
          calls: spent.calls,
          maxCalls: config.maxCallsPerDay,
          costUsd: spent.costUsd,
          maxCostUsd: config.maxCostUsdPerDay,
          /** Held by answers in flight: their worst case, until they end. */
          held: { calls: spent.heldCalls, costUsd: spent.heldCostUsd },
          callsPerAnswer: perAnswer,
          stopped: budgetStop(config, spent, { calls: perAnswer, costUsd: spent.refusedCostUsd ?? 0 }),
        }
      : null,
    candidates,
  };
}

export type ShadowComparison = Awaited<ReturnType<typeof shadowComparison>>;
