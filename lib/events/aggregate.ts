// Folding counted events into the aggregates results are read from: per subject and metric the count and
// sum of its values (a subject's value is their mean), per arm, metric and hour the sufficient statistics
// of subject means, and per version, metric and day the plain moments. Every upsert adds deltas
// (commutative), so concurrent batches need no read-then-write; keys are sorted so they lock in one order.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { experimentArmStats, versionMetricStats } from "../../db/schema";
import { hourBucket, metricsOf, type MetricEvent } from "../experiments/events";
import { addArmExposures, insertExposures, type ArmExposureCount, type Exposure } from "../experiments/exposures";
import { addRatioStats, ratioDeltas, type RatioDelta } from "../experiments/ratio-stats";
import { defaultEnvironment, type Attribution } from "./attribution";

/** One query parameter holding a column's values, for `unnest($n::type[])`. */
export function column<T>(rows: readonly T[], pick: (row: T) => unknown) {
  return sql.param(rows.map(pick));
}

type SubjectKey = { experimentId: string; phase: number; variantKey: string; metric: string; subject: string };
const rowKey = (r: SubjectKey) => `${r.experimentId}|${r.phase}|${r.variantKey}|${r.metric}|${r.subject}`;
type SubjectRow = SubjectKey & { row: string; priorCount: number; priorSum: number };

/**
 * Fixes the CUPED covariate of subject rows just made (their first value of a metric): the subject's values of
 * the metric before its first exposure, in the experiment's look-back (SQL function lectern_subject_priors,
 * migration 0030), read once per experiment and phase of the batch for all its subjects and metrics, through
 * the index on (prompt, subject, at). Sets priorCount and priorSum on `rows` in place.
 */
async function fixPriors(tx: Db, rows: SubjectRow[]) {
  const groups = new Map<string, SubjectRow[]>();
  for (const r of rows) {
    const key = `${r.experimentId}|${r.phase}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const group of groups.values()) await fixGroupPriors(tx, group);
}

/**
 * fixPriors for rows of one experiment and phase: one statement, planned for that experiment. The rows are
 * found by the physical address the upsert returned (`ctid`, stable while this transaction holds their
 * locks): a join on their keys was planned as a scan of the experiment's every subject whenever the table's
 * statistics were older than its growth.
 */
async function fixGroupPriors(tx: Db, rows: SubjectRow[]) {
  const { experimentId, phase } = rows[0]!;
  const priors = await queryRows<{ row: string; prior_count: string | number; prior_sum: number }>(
    tx,
    sql`with r as (
          select * from unnest(${column(rows, (r) => r.row)}::tid[], ${column(rows, (r) => r.metric)}::text[],
            ${column(rows, (r) => r.subject)}::text[]) as r(addr, metric, subject)
        ), p as materialized (
          select * from lectern_subject_priors(${experimentId}::uuid, ${phase}::int, ${column(rows, (r) => r.subject)}::text[])
          where prior_count > 0
        )
        update experiment_subject_stats s set prior_count = p.prior_count, prior_sum = p.prior_sum
        from r join p using (subject, metric)
        where s.ctid = r.addr
        returning r.addr::text as row, s.prior_count, s.prior_sum`,
  );
  const byRow = new Map(rows.map((r) => [r.row, r]));
  for (const p of priors) {
    const r = byRow.get(p.row)!;
    r.priorCount = Number(p.prior_count);
    r.priorSum = Number(p.prior_sum);
  }
}

export type Routed = { e: MetricEvent; promptId: string; at: Date; attribution: Attribution | null };

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
  const versions = new Map<
    string,
    {
      promptId: string;
      version: number;
      environment: string;
      metric: string;
      bucket: Date;
      n: number;
      sum: number;
      sumSq: number;
    }
  >();
  for (const { e, promptId, at, attribution } of counted) {
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
    const updated = (
      await queryRows<{
        row: string;
        experiment_id: string;
        phase: number;
        variant_key: string;
        metric: string;
        subject: string;
        count: string | number;
        sum: number;
        bucket: string | Date;
        prior_count: string | number;
        prior_sum: number;
      }>(
        tx,
        sql`insert into experiment_subject_stats (experiment_id, phase, variant_key, metric, subject, count, sum, bucket)
            select * from unnest(
              ${column(subjectRows, (r) => r.experimentId)}::uuid[], ${column(subjectRows, (r) => r.phase)}::int[], ${column(subjectRows, (r) => r.variantKey)}::text[],
              ${column(subjectRows, (r) => r.metric)}::text[], ${column(subjectRows, (r) => r.subject)}::text[], ${column(subjectRows, (r) => r.count)}::bigint[],
              ${column(subjectRows, (r) => r.sum)}::float8[], ${column(subjectRows, (r) => r.bucket.toISOString())}::timestamptz[])
            on conflict (experiment_id, phase, variant_key, metric, subject)
              do update set count = experiment_subject_stats.count + excluded.count, sum = experiment_subject_stats.sum + excluded.sum
            returning ctid::text as row, experiment_id, phase, variant_key, metric, subject, count, sum, bucket, prior_count, prior_sum`,
      )
    ).map((r) => ({
      row: r.row,
      experimentId: r.experiment_id,
      phase: r.phase,
      variantKey: r.variant_key,
      metric: r.metric,
      subject: r.subject,
      count: Number(r.count),
      sum: Number(r.sum),
      bucket: new Date(r.bucket),
      priorCount: Number(r.prior_count),
      priorSum: Number(r.prior_sum),
    }));
    await fixPriors(
      tx,
      updated.filter((r) => r.count === subjects.get(rowKey(r))!.count),
    );
    ratios = await ratioDeltas(
      tx,
      updated.map((r) => ({
        ...r,
        addedCount: subjects.get(rowKey(r))!.count,
        addedSum: subjects.get(rowKey(r))!.sum,
      })),
    );
    const arms = new Map<string, ArmRow>();
    for (const r of updated) {
      const added = subjects.get(rowKey(r))!;
      const oldCount = Number(r.count) - added.count;
      const oldMean = oldCount > 0 ? (r.sum - added.sum) / oldCount : 0;
      const newMean = r.sum / Number(r.count);
      const key = `${r.experimentId}|${r.phase}|${r.variantKey}|${r.metric}|${r.bucket.getTime()}`;
      const a = arms.get(key) ?? {
        experimentId: r.experimentId,
        phase: r.phase,
        variantKey: r.variantKey,
        metric: r.metric,
        bucket: r.bucket,
        n: 0,
        sum: 0,
        sumSq: 0,
        nPrior: 0,
        sumPrior: 0,
        sumPriorSq: 0,
        sumPriorY: 0,
        sumYWithPrior: 0,
      };
      a.n += oldCount === 0 ? 1 : 0;
      a.sum += newMean - oldMean;
      a.sumSq += newMean * newMean - (oldCount > 0 ? oldMean * oldMean : 0);
      if (r.priorCount > 0) {
        // CUPED's moments: x is fixed, so only the terms in y move (and x's own when the subject is new).
        const x = r.priorSum / r.priorCount;
        if (oldCount === 0) {
          a.nPrior += 1;
          a.sumPrior += x;
          a.sumPriorSq += x * x;
        }
        a.sumPriorY += x * (newMean - oldMean);
        a.sumYWithPrior += newMean - oldMean;
      }
      arms.set(key, a);
    }
    armRows = [...arms.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
  }
  await writeShared(tx, armExposures, ratios, armRows);
  const versionRows = [...versions.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
  if (versionRows.length)
    await tx
      .insert(versionMetricStats)
      .values(versionRows)
      .onConflictDoUpdate({
        target: [
          versionMetricStats.promptId,
          versionMetricStats.version,
          versionMetricStats.environment,
          versionMetricStats.metric,
          versionMetricStats.bucket,
        ],
        set: {
          n: sql`${versionMetricStats.n} + excluded.n`,
          sum: sql`${versionMetricStats.sum} + excluded.sum`,
          sumSq: sql`${versionMetricStats.sumSq} + excluded.sum_sq`,
        },
      });
}

type ArmRow = {
  experimentId: string;
  phase: number;
  variantKey: string;
  metric: string;
  bucket: Date;
  n: number;
  sum: number;
  sumSq: number;
  nPrior: number;
  sumPrior: number;
  sumPriorSq: number;
  sumPriorY: number;
  sumYWithPrior: number;
};

async function writeShared(tx: Db, armExposures: ArmExposureCount[], ratios: RatioDelta[], armRows: ArmRow[]) {
  await addArmExposures(tx, armExposures);
  await addRatioStats(tx, ratios);
  if (!armRows.length) return;
  await tx
    .insert(experimentArmStats)
    .values(armRows)
    .onConflictDoUpdate({
      target: [
        experimentArmStats.experimentId,
        experimentArmStats.phase,
        experimentArmStats.variantKey,
        experimentArmStats.metric,
        experimentArmStats.bucket,
      ],
      set: {
        n: sql`${experimentArmStats.n} + excluded.n`,
        sum: sql`${experimentArmStats.sum} + excluded.sum`,
        sumSq: sql`${experimentArmStats.sumSq} + excluded.sum_sq`,
        nPrior: sql`${experimentArmStats.nPrior} + excluded.n_prior`,
        sumPrior: sql`${experimentArmStats.sumPrior} + excluded.sum_prior`,
        sumPriorSq: sql`${experimentArmStats.sumPriorSq} + excluded.sum_prior_sq`,
        sumPriorY: sql`${experimentArmStats.sumPriorY} + excluded.sum_prior_y`,
        sumYWithPrior: sql`${experimentArmStats.sumYWithPrior} + excluded.sum_y_with_prior`,
      },
    });
}
