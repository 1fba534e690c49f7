// Shadow evaluation, the read side: per candidate version, its answers against the live version's on
// the same inputs — the paired score difference per scorer with its interval (paired t, Wilcoxon,
// Holm across the rule's scorers: lib/scorers/paired.ts), the win/tie/loss count (the pairwise judge's
// when the rule has one, else the weighted scores'), the cost and latency differences, the day's
// budget, and on request the answers side by side. Only answers compared with the version live now
// count; answers compared with an earlier live version are counted apart.
import { eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { onlineSamples, shadowResults } from "../../../db/schema";
import { liveVersions } from "../../release/deployments";
import { getEnvironment } from "../../release/environments";
import { pairShadow, pairsInWords, unevenPairs } from "../../release/shadow-pairing";
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

type Result = typeof shadowResults.$inferSelect;

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);

/**
 * Win, tie or loss: the pairwise judge's verdict (one it could not give counts as a loss), else a loss
 * where a scorer failed on the candidate's answer and scored the live one, else the weighted scores.
 */
function outcome(r: Result, liveScore: number | null, lostToError: boolean): "win" | "tie" | "loss" | null {
  if (r.preference)
    return !("winner" in r.preference)
      ? "loss"
      : r.preference.winner === "candidate"
        ? "win"
        : r.preference.winner === "live"
          ? "loss"
          : "tie";
  if (lostToError) return "loss";
  if (r.score === null || liveScore === null) return null;
  const d = r.score - liveScore;
  return Math.abs(d) < 1e-9 ? "tie" : d > 0 ? "win" : "loss";
}

function difference(
  rows: readonly Result[],
  candidate: (r: Result) => number | null,
  live: (r: Result) => number | null,
) {
  const ds = rows.flatMap((r) => {
    const c = candidate(r);
    const l = live(r);
    return c === null || l === null ? [] : [c - l];
  });
  return ds.length ? { mean: mean(ds)!, n: ds.length } : null;
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
  await getEnvironment(db, projectId, environment);
  const rule = await getOnlineRule(db, projectId, promptName, environment);
  const prompt = await getPrompt(db, projectId, promptName);
  const live =
    (await liveVersions(db, projectId, prompt.id)).find((l) => l.environment === environment)?.live?.version ?? null;
  const config = rule.shadow;
  const perAnswer = config ? callsPerAnswer(config, rule.scorers) : 0;
  const spent = await shadowSpend(db, rule.id, opts.now ?? new Date());
  const results = await db
    .select()
    .from(shadowResults)
    .where(eq(shadowResults.ruleId, rule.id))
    .orderBy(shadowResults.id);
  const samples = results.length
    ? await db
        .select({
          id: onlineSamples.id,
          score: onlineSamples.score,
          output: onlineSamples.output,
          input: onlineSamples.input,
        })
        .from(onlineSamples)
        .where(inArray(onlineSamples.id, [...new Set(results.map((r) => r.sampleId))]))
    : [];
  const sample = new Map(samples.map((s) => [s.id, s]));
  const versions = [...new Set([...(config?.versions ?? []), ...results.map((r) => r.candidateVersion)])]
    .filter((v) => v !== live)
    .sort((a, b) => a - b);

  const candidates = await Promise.all(
    versions.map(async (version) => {
      const mine = results.filter((r) => r.candidateVersion === version);
      const current = mine.filter((r) => r.liveVersion === live);
      const done = current.filter((r) => r.status === "done");
      const { paired, n, scorers, lostToErrors } = await pairShadow(db, rule, done);
      const outcomes = done.map((r) => outcome(r, sample.get(r.sampleId)?.score ?? null, lostToErrors.has(r.sampleId)));
      const uneven = unevenPairs(scorers, done.length);
      const cost = difference(
        done,
        (r) => r.answerCostUsd,
        (r) => r.liveCostUsd,
      );
      const latency = difference(
        done,
        (r) => r.latencyMs,
        (r) => r.liveLatencyMs,
      );
      return {
        version,
        active: config?.versions.includes(version) ?? false,
        liveVersion: live,
        /** Inputs compared on every scorer: the smallest per-scorer count of pairs (what requiresShadow counts). */
        n,
        answered: done.length,
        failed: current.length - done.length,
        /** Answers compared with an earlier live version: left out of every number here. */
        earlierLive: mine.length - current.length,
        /** Each scorer's pairs, and how many are scorer errors on the candidate's answers counted as losses. */
        pairsPerScorer: scorers,
        wins: outcomes.filter((o) => o === "win").length,
        ties: outcomes.filter((o) => o === "tie").length,
        losses: outcomes.filter((o) => o === "loss").length,
        /** Where wins come from: the pairwise judge (both orders; a changed verdict is a tie) or the weighted scores. */
        winsFrom: config?.judge ? ("judge" as const) : ("scores" as const),
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
        costUsdDiff: cost?.mean ?? null,
        latencyMsDiff: latency?.mean ?? null,
        lastError: [...current].reverse().find((r) => r.status === "failed")?.error ?? null,
        pairs:
          opts.version === version || opts.version === "all"
            ? [...current]
                .reverse()
                .slice(0, Math.min(opts.pairs ?? 20, 100))
                .map((r) => {
                  const s = sample.get(r.sampleId);
                  return {
                    sampleId: r.sampleId,
                    input: s?.input ?? null,
                    live: { version: r.liveVersion, output: s?.output ?? "", score: s?.score ?? null },
                    candidate: { version, output: r.output, score: r.score, scores: r.scores, error: r.error },
                    preference: r.preference,
                    at: r.createdAt.toISOString(),
                  };
                })
            : undefined,
      };
    }),
  );
  return {
    prompt: promptName,
    environment,
    ruleId: rule.id,
    liveVersion: live,
    config,
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
