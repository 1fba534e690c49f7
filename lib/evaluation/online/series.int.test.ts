// The online page's numbers read from the hourly sums the database keeps (migration 0031's triggers) equal,
// to 1e-9, the same numbers computed from every sample and score, on data that went through each path that
// changes them: ingest's sampling, the scoring job (scored, failed, a judge retried), scores written per
// scorer, and samples deleted.
import { wilsonInterval } from "../../stats/proportion";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../../db/client";
import { onlineSamples } from "../../../db/schema";
import { deleteOnlineEvaluation, putOnlineEvaluation } from "./rules";
import { scorePendingSamples } from "./scoring";
import {
  sampleCounts,
  scoreSeries,
  versionCountsOf,
  type CountsRow,
  type SeriesPoint,
  type VersionCounts,
} from "./series";
import { f, generations, promptLiveIn, rule, t, withOnlineDatabase } from "../../../test/online-fixture";

withOnlineDatabase("online-series");

/** The numbers as the page computed them before the sums: from every sample and score. */
async function fromSamples(ruleId: string, bucket: "hour" | "day", since: Date) {
  const series = await queryRows<{ version: number; at: Date | string; scorer: string; n: number; mean: number }>(
    t.db,
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
  const counts = await queryRows<CountsRow>(
    t.db,
    sql`select version, count(*) filter (where status = 'pending')::int as pending, count(*) filter (where status = 'scored')::int as scored,
               count(*) filter (where status = 'failed')::int as failed, avg(score)::float8 as mean, max(at) as last_at
          from online_samples where rule_id = ${ruleId} group by version order by version desc`,
  );
  return {
    series: series.map((r) => ({
      version: Number(r.version),
      at: new Date(r.at).toISOString(),
      scorer: r.scorer === "__score" ? "score" : r.scorer,
      n: Number(r.n),
      mean: Number(r.mean),
      ci: wilsonInterval(Number(r.mean), Number(r.n)),
    })),
    counts: counts.map(versionCountsOf),
  };
}

function expectSame(
  kept: { series: SeriesPoint[]; counts: VersionCounts[] },
  ref: { series: SeriesPoint[]; counts: VersionCounts[] },
) {
  expect(kept.series.map(({ mean: _, ci: __, ...k }) => k)).toEqual(ref.series.map(({ mean: _, ci: __, ...k }) => k));
  kept.series.forEach((p, i) => {
    expect(Math.abs(p.mean - ref.series[i]!.mean)).toBeLessThan(1e-9);
    // Each point's interval holds its mean and stays on 0–1.
    expect(p.ci![0]).toBeGreaterThanOrEqual(0);
    expect(p.ci![1]).toBeLessThanOrEqual(1);
    expect(p.ci![0] <= p.mean && p.mean <= p.ci![1]).toBe(true);
    expect(Math.abs(p.ci![0] - ref.series[i]!.ci![0])).toBeLessThan(1e-9);
  });
  expect(kept.counts.map(({ mean: _, ...k }) => k)).toEqual(ref.counts.map(({ mean: _, ...k }) => k));
  kept.counts.forEach((c, i) => {
    const r = ref.counts[i]!.mean;
    if (r === null) expect(c.mean).toBeNull();
    else expect(Math.abs(c.mean! - r)).toBeLessThan(1e-9);
  });
}

describe("the online page's sums", () => {
  it("equal the numbers computed from every sample, through sampling, scoring, retries and deletes", async () => {
    await promptLiveIn("ol-series", 2, 2);
    const { id: ruleId } = await putOnlineEvaluation(
      f.ctx(f.approver),
      "ol-series",
      rule({
        scorers: [
          { type: "contains", name: "thanks", value: ["thank"], ignoreCase: true },
          { type: "length", name: "short", max: 40 },
        ],
      }),
    );
    // Outputs over several hours and two days, for two versions.
    const hour = 3_600_000;
    const start = Date.now() - 30 * hour;
    for (const [version, good, bad, offset] of [
      [1, 30, 10, 0],
      [1, 5, 25, 7 * hour + 1234],
      [2, 20, 5, 20 * hour + 59 * 60_000],
      [2, 3, 3, 29 * hour],
    ] as const)
      await generations("ol-series", version, good + bad, good, "staging", new Date(start + offset));
    const counted = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from online_samples where rule_id = ${ruleId}`,
    );
    expect(counted[0]!.n).toBe(101);

    // Nothing scored yet: all pending.
    const since = new Date(start - 2 * hour);
    const now = async (bucket: "hour" | "day") => ({
      series: await scoreSeries(t.db, ruleId, { bucket, since }),
      counts: await sampleCounts(t.db, ruleId),
    });
    expectSame(await now("hour"), await fromSamples(ruleId, "hour", since));

    // Scored in part; one sample failed by hand, one retried (attempts only), one deleted (before it was scored:
    // samples are removed with their rule, and a scored one's scores with it).
    await scorePendingSamples(t.db, undefined, { ruleId, limit: 60 });
    const [failed, retried, gone] = await t.db
      .select({ id: onlineSamples.id })
      .from(onlineSamples)
      .where(eq(onlineSamples.status, "pending"))
      .limit(3);
    await t.db
      .update(onlineSamples)
      .set({ status: "failed", attempts: 3, error: "judge down" })
      .where(eq(onlineSamples.id, failed!.id));
    await t.db.update(onlineSamples).set({ attempts: 1 }).where(eq(onlineSamples.id, retried!.id));
    await t.db.delete(onlineSamples).where(eq(onlineSamples.id, gone!.id));
    for (const bucket of ["hour", "day"] as const)
      expectSame(await now(bucket), await fromSamples(ruleId, bucket, since));

    // The rest scored.
    await scorePendingSamples(t.db, undefined, { ruleId });
    const after = await now("hour");
    expect(after.counts.reduce((n, c) => n + c.scored + c.failed, 0)).toBe(100);
    expect(after.series.some((p) => p.scorer === "short")).toBe(true);
    for (const bucket of ["hour", "day"] as const)
      expectSame(await now(bucket), await fromSamples(ruleId, bucket, since));

    // Deleting the rule takes its samples and its sums, whichever goes first.
    await deleteOnlineEvaluation(f.ctx(f.approver), "ol-series", "staging");
    expect(await sampleCounts(t.db, ruleId)).toEqual([]);
    const [left] = await queryRows<{ n: number }>(
      t.db,
      sql`select (select count(*) from online_sample_stats where rule_id = ${ruleId})::int
               + (select count(*) from online_scorer_stats where rule_id = ${ruleId})::int as n`,
    );
    expect(left!.n).toBe(0);
  });
});
