// What online evaluation has seen, for charts and the prompt page: per version and time bucket, the
// mean of each scorer (and of the weighted score) over the scored samples; and per version, how many
// samples wait, were scored or failed. Read from the hourly sums the database keeps as samples arrive and
// are scored (online_sample_stats, online_scorer_stats: migration 0031), so a read costs O(versions × hours)
// at any number of samples. A bucket starts on the hour (UTC); the first one of a series is counted whole.
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows, type Db } from "../../../db/client";
import { wilsonInterval } from "../../stats/proportion";

export const seriesBuckets = ["hour", "day"] as const;
export type SeriesBucket = (typeof seriesBuckets)[number];

/**
 * `ci`: the mean's 95% Wilson interval over its n outputs (exact in form for pass/fail scorers, conservative
 * for graded ones: only n and the sum are kept, and p(1 − p) is the widest spread a 0–1 score can have).
 */
export type SeriesPoint = {
  version: number;
  at: string;
  scorer: string;
  n: number;
  mean: number;
  ci: [number, number] | null;
};

/** A SeriesPoint in JSON (GET /api/v1/prompts/{name}/online-evaluation/series). */
export const seriesPointSchema = z.object({
  version: z.number().int(),
  at: z.iso.datetime({ offset: true }),
  scorer: z.string(),
  n: z.number().int(),
  mean: z.number(),
  ci: z.tuple([z.number(), z.number()]).nullable(),
});

/** Means per version, bucket and scorer ("score" is the weighted mean over the rule's scorers), oldest first. */
export async function scoreSeries(
  db: Db,
  ruleId: string,
  opts: { bucket?: SeriesBucket; since?: Date } = {},
): Promise<SeriesPoint[]> {
  const bucket = opts.bucket ?? "hour";
  const since = opts.since ?? new Date(Date.now() - (bucket === "hour" ? 7 : 90) * 86_400_000);
  const rows = await queryRows<{ version: number; at: Date | string; scorer: string; n: number; mean: number }>(
    db,
    sql`select version, date_trunc(${bucket}, bucket) as at, '__score' as scorer, sum(scored)::int as n,
               (sum(score_sum) / sum(scored))::float8 as mean
          from online_sample_stats where rule_id = ${ruleId} and bucket >= ${since}::timestamptz - interval '59 minutes 59.999999 seconds'
          group by 1, 2 having sum(scored) > 0
        union all
        select version, date_trunc(${bucket}, bucket), scorer, sum(n)::int, (sum(sum) / sum(n))::float8
          from online_scorer_stats where rule_id = ${ruleId} and bucket >= ${since}::timestamptz - interval '59 minutes 59.999999 seconds'
          group by 1, 2, 3 having sum(n) > 0
        order by 2, 1, 3`,
  );
  return rows.map((r) => ({
    version: Number(r.version),
    at: new Date(r.at).toISOString(),
    scorer: r.scorer === "__score" ? "score" : r.scorer,
    n: Number(r.n),
    mean: Number(r.mean),
    ci: wilsonInterval(Math.min(1, Math.max(0, Number(r.mean))), Number(r.n)),
  }));
}

export type VersionCounts = {
  version: number;
  pending: number;
  scored: number;
  failed: number;
  mean: number | null;
  lastAt: string | null;
};

/** VersionCounts in JSON (a rule's `versions`, GET /api/v1/prompts/{name}/online-evaluation). */
export const versionCountsSchema = z.object({
  version: z.number().int(),
  pending: z.number().int(),
  scored: z.number().int(),
  failed: z.number().int(),
  mean: z.number().nullable(),
  lastAt: z.iso.datetime({ offset: true }).nullable(),
});

/** A version's counts as SQL reads them (snake case, the time as the driver gives it). */
export type CountsRow = {
  version: number;
  pending: number;
  scored: number;
  failed: number;
  mean: number | null;
  last_at: Date | string | null;
};

/** A CountsRow as VersionCounts. */
export const versionCountsOf = (r: CountsRow): VersionCounts => ({
  version: Number(r.version),
  pending: r.pending,
  scored: r.scored,
  failed: r.failed,
  mean: r.mean === null ? null : Number(r.mean),
  lastAt: r.last_at ? new Date(r.last_at).toISOString() : null,
});

export async function sampleCounts(db: Db, ruleId: string): Promise<VersionCounts[]> {
  const rows = await queryRows<CountsRow>(
    db,
    sql`select version, sum(pending)::int as pending, sum(scored)::int as scored, sum(failed)::int as failed,
               (sum(score_sum) / nullif(sum(scored), 0))::float8 as mean, max(last_at) as last_at
          from online_sample_stats where rule_id = ${ruleId} group by version
          having sum(pending) + sum(scored) + sum(failed) > 0 order by version desc`,
  );
  return rows.map(versionCountsOf);
}
