// GET /api/v1/prompts/{name}/stats: per version, what it was used for and how it did (generations, tokens,
// cost, latency percentiles, online scores, feedback), from the same sums the prompt page and the online page
// read: version_metric_stats and version_latency_bins (daily, kept by ingest, OTLP spans included) and
// online_sample_stats / online_scorer_stats (hourly, kept by triggers). Never the raw events: a read costs
// O(versions × days), whatever the number of generations.
import { and, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { z } from "zod";
import { readTogether, type Db } from "../../db/client";
import {
  onlineEvalRules,
  onlineSampleStats,
  onlineScorerStats,
  versionLatencyBins,
  versionMetricStats,
} from "../../db/schema";
import { AppError } from "../errors";
import { latencyBinCounts } from "../experiments/version-stats";
import { binnedQuantile } from "../stats/latency-bins";
import { getEnvironmentRow } from "../release/environments";
import { getPrompt } from "../registry/prompts";

const instant = (field: string) =>
  z.iso
    .datetime({ offset: true, error: `${field} must be an ISO 8601 date-time, e.g. 2026-11-01T00:00:00Z` })
    .transform((s) => new Date(s));

/** The query of GET /api/v1/prompts/{name}/stats (and of its OpenAPI parameters). */
export const promptStatsQuery = z.object({
  environment: z
    .string()
    .min(1)
    .max(36)
    .optional()
    .describe("Only what this environment served (one the project does not have: 404 naming it); all when left out."),
  from: instant("from")
    .optional()
    .describe("From this instant (its UTC day whole for usage and feedback, its hour for scores); all when left out."),
  to: instant("to")
    .optional()
    .describe("Before this instant (the UTC day that holds it is left out unless it starts later); now when left out."),
});
export type PromptStatsQuery = z.output<typeof promptStatsQuery>;

const usageMetrics = ["latency_ms", "input_tokens", "output_tokens", "cost_usd", "thumbs", "rating"] as const;
const day = (d: Date) => new Date(Math.floor(d.getTime() / 86_400_000) * 86_400_000);
const hour = (d: Date) => new Date(Math.floor(d.getTime() / 3_600_000) * 3_600_000);

type Sums = { n: number; sum: number };
type VersionAcc = {
  metrics: Map<string, Sums>;
  bins: Map<number, number>;
  environments: Set<string>;
  scored: number;
  scoreSum: number;
  scorers: Map<string, Sums>;
};

export async function getPromptStats(db: Db, projectId: string, name: string, q: PromptStatsQuery) {
  if (q.from && q.to && q.from >= q.to)
    throw new AppError("invalid_input", "from must be before to", { field: "from" });
  const prompt = await getPrompt(db, projectId, name);
  const env = q.environment ? await getEnvironmentRow(db, projectId, q.environment) : null;
  const byVersion = perVersion(await readSums(db, prompt.id, env, q));
  const versions = [...byVersion.entries()].sort(([a], [b]) => b - a).map(([version, v]) => versionDto(version, v));
  return {
    prompt: name,
    environment: env?.name ?? null,
    from: q.from ? day(q.from).toISOString() : null,
    to: (q.to ?? new Date()).toISOString(),
    versions,
  };
}

/** The daily usage sums and latency bins, the hourly online scores: per version, in the window asked for. */
async function readSums(db: Db, promptId: string, env: { id: string; name: string } | null, q: PromptStatsQuery) {
  // Daily sums: a day counts when it starts in [day(from), to).
  const daily = (bucket: AnyPgColumn, environment: AnyPgColumn) => {
    const where: SQL[] = [];
    if (q.from) where.push(gte(bucket, day(q.from)));
    if (q.to) where.push(lt(bucket, q.to));
    if (env) where.push(eq(environment, env.name));
    return where;
  };
  const hourly = (bucket: AnyPgColumn) => [
    ...(q.from ? [gte(bucket, hour(q.from))] : []),
    ...(q.to ? [lt(bucket, q.to)] : []),
  ];
  const rules = and(
    eq(onlineEvalRules.promptId, promptId),
    env ? eq(onlineEvalRules.environmentId, env.id) : undefined,
  );
  return readTogether(db, [
    () =>
      db
        .select({
          version: versionMetricStats.version,
          environment: versionMetricStats.environment,
          metric: versionMetricStats.metric,
          n: sql<number>`sum(${versionMetricStats.n})`.mapWith(Number),
          sum: sql<number>`sum(${versionMetricStats.sum})`.mapWith(Number),
        })
        .from(versionMetricStats)
        .where(
          and(
            eq(versionMetricStats.promptId, promptId),
            inArray(versionMetricStats.metric, [...usageMetrics]),
            ...daily(versionMetricStats.bucket, versionMetricStats.environment),
          ),
        )
        .groupBy(versionMetricStats.version, versionMetricStats.environment, versionMetricStats.metric),
    () =>
      latencyBinCounts(db, [
        eq(versionLatencyBins.promptId, promptId),
        ...daily(versionLatencyBins.bucket, versionLatencyBins.environment),
      ]),
    () =>
      db
        .select({
          version: onlineSampleStats.version,
          scored: sql<number>`sum(${onlineSampleStats.scored})`.mapWith(Number),
          scoreSum: sql<number>`sum(${onlineSampleStats.scoreSum})`.mapWith(Number),
        })
        .from(onlineSampleStats)
        .innerJoin(onlineEvalRules, eq(onlineEvalRules.id, onlineSampleStats.ruleId))
        .where(and(rules, ...hourly(onlineSampleStats.bucket)))
        .groupBy(onlineSampleStats.version),
    () =>
      db
        .select({
          version: onlineScorerStats.version,
          scorer: onlineScorerStats.scorer,
          n: sql<number>`sum(${onlineScorerStats.n})`.mapWith(Number),
          sum: sql<number>`sum(${onlineScorerStats.sum})`.mapWith(Number),
        })
        .from(onlineScorerStats)
        .innerJoin(onlineEvalRules, eq(onlineEvalRules.id, onlineScorerStats.ruleId))
        .where(and(rules, ...hourly(onlineScorerStats.bucket)))
        .groupBy(onlineScorerStats.version, onlineScorerStats.scorer),
  ]);
}

function perVersion([metrics, bins, samples, scorers]: Awaited<ReturnType<typeof readSums>>) {
  const byVersion = new Map<number, VersionAcc>();
  const of = (version: number) => {
    const v = byVersion.get(version) ?? {
      metrics: new Map(),
      bins: new Map(),
      environments: new Set<string>(),
      scored: 0,
      scoreSum: 0,
      scorers: new Map(),
    };
    byVersion.set(version, v);
    return v;
  };
  for (const m of metrics) {
    const v = of(m.version);
    v.environments.add(m.environment);
    const s = v.metrics.get(m.metric) ?? { n: 0, sum: 0 };
    v.metrics.set(m.metric, { n: s.n + m.n, sum: s.sum + m.sum });
  }
  for (const b of bins) of(b.version).bins.set(b.bin, b.n);
  for (const s of samples) Object.assign(of(s.version), { scored: s.scored, scoreSum: s.scoreSum });
  for (const s of scorers) of(s.version).scorers.set(s.scorer, { n: s.n, sum: s.sum });
  return byVersion;
}

const total = (v: VersionAcc, metric: string) => v.metrics.get(metric)?.sum ?? 0;
const mean = (s: Sums | undefined) => (s && s.n > 0 ? s.sum / s.n : null);

function versionDto(version: number, v: VersionAcc) {
  const thumbs = v.metrics.get("thumbs");
  return {
    version,
    environments: [...v.environments].sort(),
    generations: v.metrics.get("latency_ms")?.n ?? 0,
    inputTokens: total(v, "input_tokens"),
    outputTokens: total(v, "output_tokens"),
    costUsd: total(v, "cost_usd"),
    latencyMs: {
      mean: mean(v.metrics.get("latency_ms")),
      p50: binnedQuantile(v.bins, 0.5),
      p95: binnedQuantile(v.bins, 0.95),
    },
    scores: {
      samples: v.scored,
      mean: v.scored > 0 ? v.scoreSum / v.scored : null,
      scorers: Object.fromEntries(
        [...v.scorers.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, s]) => [k, { n: s.n, mean: mean(s) }]),
      ),
    },
    feedback: {
      thumbsUp: thumbs?.sum ?? 0,
      thumbsDown: thumbs ? thumbs.n - thumbs.sum : 0,
      ratings: v.metrics.get("rating")?.n ?? 0,
      meanRating: mean(v.metrics.get("rating")),
    },
  };
}

export type PromptStats = Awaited<ReturnType<typeof getPromptStats>>;
