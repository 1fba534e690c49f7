// Shadow evaluation, the read side: per candidate (a version, or a version rendered with other partial
// versions: shadow-compositions.ts; one candidate's numbers: shadow-candidate.ts), its answers against the live
// version's on the same inputs — the paired score difference per scorer with its interval (paired t, Wilcoxon,
// Holm across the rule's scorers: lib/scorers/paired-runs.ts), the win/tie/loss count (the pairwise judge's
// when the rule has one, else the weighted scores'), the cost and latency differences, the day's
// budget, and on request the answers side by side. Only answers compared with the version live now
// count; answers compared with an earlier live version are counted apart.
// Bounded, whatever a rule has answered: each candidate's numbers cover its latest answers (the window:
// lib/release/plan/shadow-pairing.ts, shared with the release plan's step), counts, costs and latencies are
// aggregated in SQL, the pairing reads no outputs, and the answers side by side come with a LIMIT.
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { readEach, type Db } from "../../../../db/client";
import { onlineSamples, shadowResultCounts } from "../../../../db/schema";
import { liveVersions } from "../../../release/deployments";
import { getEnvironmentRow } from "../../../release/environments";
import { shadowWindow } from "../../../release/plan/shadow-pairing";
import { countParam, versionParam } from "../../../number-params";
import { getPrompt } from "../../../registry/prompts";
import type { ShadowComposition } from "../contracts";
import { getOnlineEvaluation } from "../rules";
import { candidateComparison } from "./shadow-candidate";
import { callsPerAnswer, compositionKey } from "./shadow-config";
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
  pairs: countParam("pairs", 1, 100)
    .default(20)
    .describe("How many of the candidate's latest answers to show beside the live ones (1–100)"),
});

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
  const env = await getEnvironmentRow(db, projectId, environment);
  const rule = await getOnlineEvaluation(db, projectId, promptName, environment);
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
  const answered = await answeredCounts(db, rule.id, liveOr0);
  const list = candidateList(config, answered, live);
  const pairs = Math.min(opts.pairs ?? 20, 100);
  const inputs = live === null ? null : await liveInputs(db, rule.id, live, window);
  const candidates = await readEach(db, list, (c) =>
    candidateComparison(
      db,
      rule,
      { prompt: promptName, environment },
      live,
      {
        ...c,
        ...(answered.find((r) => compositionKey(r) === compositionKey(c)) ?? { current: 0, earlier: 0 }),
      },
      window,
      opts.version === c.version || opts.version === "all" ? pairs : null,
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

/** Per candidate composition, its answers against the live version now and against earlier ones. */
async function answeredCounts(db: Db, ruleId: string, liveOr0: number) {
  // From the counts a trigger keeps (migrations 0032, 0044), not every answer.
  return (
    await db
      .select({
        version: shadowResultCounts.candidateVersion,
        partials: shadowResultCounts.candidatePartials,
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
      .where(eq(shadowResultCounts.ruleId, ruleId))
      .groupBy(shadowResultCounts.candidateVersion, shadowResultCounts.candidatePartials)
      .having(sql`sum(${shadowResultCounts.n}) > 0`)
  ).map((r) => ({ ...r, current: r.current || 0, earlier: r.earlier || 0 }));
}

/** The candidates: configured and answered ones, plain versions other than the live one first, then compositions. */
function candidateList(
  config: Awaited<ReturnType<typeof getOnlineEvaluation>>["shadow"],
  answered: Awaited<ReturnType<typeof answeredCounts>>,
  live: number | null,
): ShadowComposition[] {
  // Plain versions other than the live one, then compositions (a version with other partial versions).
  const composed = (c: ShadowComposition) => Object.keys(c.partials).length > 0;
  const byKey = new Map<string, ShadowComposition>();
  for (const c of [
    ...(config?.versions ?? []).map((version) => ({ version, partials: {} })),
    ...(config?.compositions ?? []),
    ...answered,
  ])
    if (composed(c) || c.version !== live) byKey.set(compositionKey(c), { version: c.version, partials: c.partials });
  return [...byKey.values()].sort(
    (a, b) =>
      Number(composed(a)) - Number(composed(b)) ||
      a.version - b.version ||
      compositionKey(a).localeCompare(compositionKey(b)),
  );
}

export type ShadowComparison = Awaited<ReturnType<typeof shadowComparison>>;
