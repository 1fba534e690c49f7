// Cost, tokens, latency and time to first token per prompt version, from the generation events
// applications send (with or without an experiment): the prompt page's "per version" table. Reads the
// daily aggregates in version_metric_stats (ingest.ts keeps them), never the raw events.
import { and, eq, gte, inArray, sql, type SQL } from "drizzle-orm";
import { readTogether, type Db } from "../../db/client";
import { versionLatencyBins, versionMetricStats } from "../../db/schema";
import { binnedQuantile } from "../stats/latency-bins";
import { describeArm, type SufficientStats } from "../stats/summary";

/** The generation metrics the table shows, in column order. */
export const versionStatMetrics = [
  "cost_usd",
  "input_tokens",
  "output_tokens",
  "latency_ms",
  "ttft_ms",
  "refusal",
] as const;
export type VersionStatMetric = (typeof versionStatMetrics)[number];

export type VersionStatValue = { n: number; mean: number | null; sd: number | null };
export type VersionStats = {
  version: number;
  /** Environments the events came from, sorted. */
  environments: string[];
  /** Generation events counted (those with a latency, which every generation event has). */
  generations: number;
  metrics: Partial<Record<VersionStatMetric, VersionStatValue>>;
  /** Latency percentiles from the kept bins (within 2.5% of latency + 1 ms); null before bins were kept. */
  latency: { p50: number | null; p95: number | null };
};

/** The latency histogram's counts per version and bin, over the rows `where` selects. */
export const latencyBinCounts = (db: Db, where: SQL[]) =>
  db
    .select({
      version: versionLatencyBins.version,
      bin: versionLatencyBins.bin,
      n: sql<number>`sum(${versionLatencyBins.n})`.mapWith(Number),
    })
    .from(versionLatencyBins)
    .where(and(...where))
    .groupBy(versionLatencyBins.version, versionLatencyBins.bin);

export type VersionStatsOptions = {
  /** Only events from this environment; default all. */
  environment?: string;
  /** Only days from this instant on (aggregates are daily: the day containing it counts whole). */
  since?: Date;
};

/**
 * Per version with any generation data, newest version first: count, mean and sd of each metric per
 * event (not per subject: this is what a version costs per call). Versions without events are left out.
 */
export async function versionStats(db: Db, promptId: string, opts: VersionStatsOptions = {}): Promise<VersionStats[]> {
  const day = opts.since ? new Date(Math.floor(opts.since.getTime() / 86_400_000) * 86_400_000) : null;
  const where: SQL[] = [
    eq(versionMetricStats.promptId, promptId),
    inArray(versionMetricStats.metric, [...versionStatMetrics]),
  ];
  if (opts.environment) where.push(eq(versionMetricStats.environment, opts.environment));
  if (day) where.push(gte(versionMetricStats.bucket, day));
  const binsWhere: SQL[] = [eq(versionLatencyBins.promptId, promptId)];
  if (opts.environment) binsWhere.push(eq(versionLatencyBins.environment, opts.environment));
  if (day) binsWhere.push(gte(versionLatencyBins.bucket, day));
  const [rows, binRows] = await readTogether(db, [
    () =>
      db
        .select({
          version: versionMetricStats.version,
          environment: versionMetricStats.environment,
          metric: versionMetricStats.metric,
          n: sql<string>`sum(${versionMetricStats.n})`,
          sum: sql<number>`sum(${versionMetricStats.sum})`,
          sumSq: sql<number>`sum(${versionMetricStats.sumSq})`,
        })
        .from(versionMetricStats)
        .where(and(...where))
        .groupBy(versionMetricStats.version, versionMetricStats.environment, versionMetricStats.metric),
    () => latencyBinCounts(db, binsWhere),
  ]);
  const bins = new Map<number, Map<number, number>>();
  for (const b of binRows) bins.set(b.version, (bins.get(b.version) ?? new Map()).set(b.bin, b.n));

  const byVersion = new Map<number, { environments: Set<string>; metrics: Map<string, SufficientStats> }>();
  for (const r of rows) {
    const v = byVersion.get(r.version) ?? {
      environments: new Set<string>(),
      metrics: new Map<string, SufficientStats>(),
    };
    v.environments.add(r.environment);
    const s = v.metrics.get(r.metric) ?? { n: 0, sum: 0, sumSq: 0 };
    v.metrics.set(r.metric, { n: s.n + Number(r.n), sum: s.sum + Number(r.sum), sumSq: s.sumSq + Number(r.sumSq) });
    byVersion.set(r.version, v);
  }
  return [...byVersion.entries()]
    .filter(([, v]) => (v.metrics.get("latency_ms")?.n ?? 0) > 0)
    .sort(([a], [b]) => b - a)
    .map(([version, v]) => ({
      version,
      environments: [...v.environments].sort(),
      generations: v.metrics.get("latency_ms")!.n,
      latency: {
        p50: binnedQuantile(bins.get(version) ?? new Map(), 0.5),
        p95: binnedQuantile(bins.get(version) ?? new Map(), 0.95),
      },
      metrics: Object.fromEntries(
        versionStatMetrics.filter((m) => v.metrics.has(m)).map((m) => [m, describeArm(v.metrics.get(m)!)]),
      ),
    }));
}
