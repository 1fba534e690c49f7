// What online evaluation has seen, for charts and the prompt page: per version and time bucket, the
// mean of each scorer (and of the weighted score) over the scored samples; and per version, how many
// samples wait, were scored or failed.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../../db/client";

export const seriesBuckets = ["hour", "day"] as const;
export type SeriesBucket = (typeof seriesBuckets)[number];

export type SeriesPoint = { version: number; at: string; scorer: string; n: number; mean: number };

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
    sql`select version, date_trunc(${bucket}, at) as at, '__score' as scorer, count(*)::int as n, avg(score)::float8 as mean
          from online_samples where rule_id = ${ruleId} and status = 'scored' and at >= ${since}
          group by 1, 2
        union all
        select s.version, date_trunc(${bucket}, s.at), x.scorer, count(*)::int, avg(x.score)::float8
          from online_scores x join online_samples s on s.id = x.sample_id
          where s.rule_id = ${ruleId} and x.score is not null and s.at >= ${since}
          group by 1, 2, 3
        order by 2, 1, 3`,
  );
  return rows.map((r) => ({
    version: Number(r.version),
    at: new Date(r.at).toISOString(),
    scorer: r.scorer === "__score" ? "score" : r.scorer,
    n: Number(r.n),
    mean: Number(r.mean),
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

export async function sampleCounts(db: Db, ruleId: string): Promise<VersionCounts[]> {
  const rows = await queryRows<{
    version: number;
    pending: number;
    scored: number;
    failed: number;
    mean: number | null;
    last_at: Date | string | null;
  }>(
    db,
    sql`select version, count(*) filter (where status = 'pending')::int as pending, count(*) filter (where status = 'scored')::int as scored,
               count(*) filter (where status = 'failed')::int as failed, avg(score)::float8 as mean, max(at) as last_at
          from online_samples where rule_id = ${ruleId} group by version order by version desc`,
  );
  return rows.map((r) => ({
    version: Number(r.version),
    pending: r.pending,
    scored: r.scored,
    failed: r.failed,
    mean: r.mean === null ? null : Number(r.mean),
    lastAt: r.last_at ? new Date(r.last_at).toISOString() : null,
  }));
}
