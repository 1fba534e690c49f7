// Folding counted events into the aggregates results are read from: per subject and metric the count and
// sum of its values (a subject's value is their mean), per arm, metric and hour the sufficient statistics
// of subject means, and per version, metric and day the plain moments. Every upsert adds deltas
// (commutative), so concurrent batches need no read-then-write; keys are sorted so they lock in one order.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { hourBucket, metricsOf, type MetricEvent } from "../experiments/metric-events";
import { addUnattributed } from "../experiments/served";
import { insertExposures, type ArmExposureCount, type Exposure } from "../experiments/exposures";
import { ratioDeltas, type RatioDelta } from "../experiments/ratio-stats";
import { defaultEnvironment, type Attribution, type Unattributed } from "./attribution";
import { latencyBin } from "../stats/latency-bins";

/** One query parameter holding a column's values, for `unnest($n::type[])`. */
export function column<T>(rows: readonly T[], pick: (row: T) => unknown) {
  return sql.param(rows.map(pick));
}

/** `unattributed`: an arm the event named that the server did not serve its subject (counted apart, in no arm). */
export type Routed = {
  e: MetricEvent;
  promptId: string;
  at: Date;
  attribution: Attribution | null;
  unattributed?: Unattributed | null;
};

export async function aggregate(tx: Db, counted: Routed[]) {
  const exposures: Exposure[] = [];
  const subjects = new Map<
    string,
    {
      experimentId: string;
      phase: number;
      variantKey: string;
      metric: string;
      subject: string;
      count: number;
      sum: number;
      bucket: Date;
    }
  >();
  const versions = new Map<string, VersionRow>();
  const latency = new Map<string, LatencyBinRow>();
  const apart: Unattributed[] = [];
  for (const { e, promptId, at, attribution, unattributed } of counted) {
    if (unattributed) apart.push(unattributed);
    if (attribution && e.type === "exposure") exposures.push({ ...attribution, subject: e.subject, at });
    for (const m of metricsOf(e)) {
      if (attribution) {
        const key = `${attribution.experimentId}|${attribution.phase}|${attribution.variant}|${m.name}|${e.subject}`;
        const s = subjects.get(key) ?? {
          experimentId: attribution.experimentId,
          phase: attribution.phase,
          variantKey: attribution.variant,
          metric: m.name,
          subject: e.subject,
          count: 0,
          sum: 0,
          bucket: hourBucket(at),
        };
        s.count++;
        s.sum += m.value;
        if (at < s.bucket) s.bucket = hourBucket(at);
        subjects.set(key, s);
      }
      const bucket = new Date(Math.floor(at.getTime() / 86_400_000) * 86_400_000);
      const vkey = `${promptId}|${e.version}|${e.environment ?? defaultEnvironment}|${m.name}|${bucket.getTime()}`;
      const v = versions.get(vkey) ?? {
        promptId,
        version: e.version,
        environment: e.environment ?? defaultEnvironment,
        metric: m.name,
        bucket,
        n: 0,
        sum: 0,
        sumSq: 0,
      };
      v.n++;
      v.sum += m.value;
      v.sumSq += m.value * m.value;
      versions.set(vkey, v);
      if (m.name === "latency_ms") {
        const bin = latencyBin(m.value);
        const lkey = `${vkey}|${bin}`;
        const l = latency.get(lkey) ?? { promptId, version: e.version, environment: v.environment, bucket, bin, n: 0 };
        l.n++;
        latency.set(lkey, l);
      }
    }
  }
  // Rows of one subject first; rows every batch of an experiment shares (its arms', its prompt's) last, in one
  // order (arm exposures, ratios, arms, versions), so that concurrent batches wait on each other only briefly.
  const { counts: armExposures } = await insertExposures(tx, exposures);
  let ratios: RatioDelta[] = [];
  let armRows: ArmRow[] = [];
  // Sorted keys: concurrent batches lock rows in the same order (no deadlocks).
  const subjectRows = [...subjects.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
  if (subjectRows.length) {
    // The statement also adds up, per arm, metric and hour, what the batch changed in the arms' moments of subject
    // means (a subject's old mean out, its new one in; CUPED's x is fixed, so only the terms in y move, and x's
    // own when the subject is new): a few rows back instead of one per subject.
    const arms = await queryRows<{
      experiment_id: string;
      phase: number;
      variant_key: string;
      metric: string;
      bucket: string | Date;
      n: number;
      events: number;
      sum: number;
      sum_sq: number;
      n_prior: number;
      sum_prior: number;
      sum_prior_sq: number;
      sum_prior_y: number;
      sum_y_with_prior: number;
    }>(
      tx,
      // A subject's CUPED covariate is fixed when its row is made: the rows this batch makes (none stored yet)
      // get their subject's values of each metric before its first exposure, in the experiment's look-back
      // (SQL lectern_subject_priors, migration 0039), read once per experiment and phase for all of them.
      // A row another batch makes meanwhile keeps that batch's covariate (the update leaves it alone).
      sql`with u as (
            select * from unnest(
              ${column(subjectRows, (r) => r.experimentId)}::uuid[], ${column(subjectRows, (r) => r.phase)}::int[], ${column(subjectRows, (r) => r.variantKey)}::text[],
              ${column(subjectRows, (r) => r.metric)}::text[], ${column(subjectRows, (r) => r.subject)}::text[], ${column(subjectRows, (r) => r.count)}::bigint[],
              ${column(subjectRows, (r) => r.sum)}::float8[], ${column(subjectRows, (r) => r.bucket.toISOString())}::timestamptz[])
              as u(experiment_id, phase, variant_key, metric, subject, count, sum, bucket)
          ), fresh as materialized (
            -- One index probe per row (LIMIT keeps the lateral a loop): NOT EXISTS was planned as a hash of every
            -- row the experiment has.
            select u.experiment_id, u.phase, array_agg(u.subject) as subjects, array_agg(u.bucket) as buckets from u
            left join lateral (select true as stored from experiment_subject_stats s where s.experiment_id = u.experiment_id
              and s.phase = u.phase and s.variant_key = u.variant_key and s.metric = u.metric and s.subject = u.subject
              limit 1) s on true
            where s.stored is null
            group by u.experiment_id, u.phase
          ), p as materialized (
            select f.experiment_id, f.phase, x.subject, x.metric, x.prior_count, x.prior_sum from fresh f
              cross join lateral lectern_subject_priors(f.experiment_id, f.phase, f.subjects, f.buckets) x
            where x.prior_count > 0
          ), stored as (
            insert into experiment_subject_stats (experiment_id, phase, variant_key, metric, subject, count, sum, bucket, prior_count, prior_sum)
            select u.*, coalesce(p.prior_count, 0), coalesce(p.prior_sum, 0)
            from u left join p using (experiment_id, phase, subject, metric)
            order by u.experiment_id, u.phase, u.variant_key, u.metric, u.subject
            on conflict (experiment_id, phase, variant_key, metric, subject)
              do update set count = experiment_subject_stats.count + excluded.count, sum = experiment_subject_stats.sum + excluded.sum
            returning experiment_id, phase, variant_key, metric, subject, count, sum, bucket, prior_count, prior_sum
          ), d as (
            select s.experiment_id, s.phase, s.variant_key, s.metric, s.bucket, s.count - u.count as old_count, u.count as added,
              s.sum / s.count as new_mean,
              case when s.count > u.count then (s.sum - u.sum) / (s.count - u.count) else 0 end as old_mean,
              case when s.prior_count > 0 then s.prior_sum / s.prior_count end as x
            from stored s join u using (experiment_id, phase, variant_key, metric, subject)
          )
          select experiment_id, phase, variant_key, metric, bucket,
            (count(*) filter (where old_count = 0))::int as n,
            sum(added)::float8 as events,
            sum(new_mean - old_mean) as sum,
            sum(new_mean * new_mean - case when old_count > 0 then old_mean * old_mean else 0 end) as sum_sq,
            (count(*) filter (where old_count = 0 and x is not null))::int as n_prior,
            coalesce(sum(x) filter (where old_count = 0), 0) as sum_prior,
            coalesce(sum(x * x) filter (where old_count = 0), 0) as sum_prior_sq,
            coalesce(sum(x * (new_mean - old_mean)), 0) as sum_prior_y,
            coalesce(sum(new_mean - old_mean) filter (where x is not null), 0) as sum_y_with_prior
          from d group by 1, 2, 3, 4, 5`,
    );
    ratios = await ratioDeltas(
      tx,
      subjectRows.map((r) => ({ ...r, addedCount: r.count, addedSum: r.sum })),
    );
    const armKey = (r: ArmRow) => `${r.experimentId}|${r.phase}|${r.variantKey}|${r.metric}|${r.bucket.getTime()}`;
    armRows = arms
      .map((r): ArmRow => ({
        experimentId: r.experiment_id,
        phase: r.phase,
        variantKey: r.variant_key,
        metric: r.metric,
        bucket: new Date(r.bucket),
        n: r.n,
        events: Number(r.events),
        sum: r.sum,
        sumSq: r.sum_sq,
        nPrior: r.n_prior,
        sumPrior: r.sum_prior,
        sumPriorSq: r.sum_prior_sq,
        sumPriorY: r.sum_prior_y,
        sumYWithPrior: r.sum_y_with_prior,
      }))
      .sort((a, b) => (armKey(a) < armKey(b) ? -1 : 1));
  }
  const versionRows = [...versions.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
  const latencyRows = [...latency.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
  // Shared by every batch naming the experiment's arms too: locked late, briefly, in one order (keys sorted).
  await addUnattributed(tx, apart);
  await addSharedSums(tx, armExposures, ratios, armRows, versionRows, latencyRows);
}

type ArmRow = {
  experimentId: string;
  phase: number;
  variantKey: string;
  metric: string;
  bucket: Date;
  n: number;
  /** Events folded in (n counts the subjects new to the row). */
  events: number;
  sum: number;
  sumSq: number;
  nPrior: number;
  sumPrior: number;
  sumPriorSq: number;
  sumPriorY: number;
  sumYWithPrior: number;
};

type LatencyBinRow = { promptId: string; version: number; environment: string; bucket: Date; bin: number; n: number };

type VersionRow = {
  promptId: string;
  version: number;
  environment: string;
  metric: string;
  bucket: Date;
  n: number;
  sum: number;
  sumSq: number;
};

/**
 * The rows every batch shares (arms' and versions' sums), in one call of lectern_add_shared_sums (migration 0039)
 * at the end of the transaction: its four upserts lock those rows in one order, for one round trip.
 */
async function addSharedSums(
  tx: Db,
  armExposures: ArmExposureCount[],
  ratios: RatioDelta[],
  arms: ArmRow[],
  versions: VersionRow[],
  latency: LatencyBinRow[],
) {
  if (!armExposures.length && !ratios.length && !arms.length && !versions.length) return;
  const json = <T>(rows: T[], row: (r: T) => Record<string, unknown>) => JSON.stringify(rows.map(row));
  await tx.execute(
    sql`select lectern_add_shared_sums(${json(armExposures, (r) => ({
      experiment_id: r.experimentId,
      phase: r.phase,
      variant_key: r.variantKey,
      bucket: r.bucket,
      subjects: r.subjects,
      arrivals: r.arrivals,
      first_at: r.firstAt,
      last_at: r.lastAt,
    }))}::json, ${json(ratios, (r) => ({
      experiment_id: r.experimentId,
      scope: r.scope,
      variant_key: r.variantKey,
      ratio: r.ratio,
      n: r.n,
      sum_x: r.sumX,
      sum_y: r.sumY,
      sum_xx: r.sumXX,
      sum_yy: r.sumYY,
      sum_xy: r.sumXY,
    }))}::json, ${json(arms, (r) => ({
      experiment_id: r.experimentId,
      phase: r.phase,
      variant_key: r.variantKey,
      metric: r.metric,
      bucket: r.bucket,
      n: r.n,
      events: r.events,
      sum: r.sum,
      sum_sq: r.sumSq,
      n_prior: r.nPrior,
      sum_prior: r.sumPrior,
      sum_prior_sq: r.sumPriorSq,
      sum_prior_y: r.sumPriorY,
      sum_y_with_prior: r.sumYWithPrior,
    }))}::json, ${json(versions, (r) => ({
      prompt_id: r.promptId,
      version: r.version,
      environment: r.environment,
      metric: r.metric,
      bucket: r.bucket,
      n: r.n,
      sum: r.sum,
      sum_sq: r.sumSq,
    }))}::json, ${json(latency, (r) => ({
      prompt_id: r.promptId,
      version: r.version,
      environment: r.environment,
      bucket: r.bucket,
      bin: r.bin,
      n: r.n,
    }))}::json)`,
  );
}
