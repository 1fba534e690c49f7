// The per-subject rows of a batch (aggregate.ts): one statement upserts them and answers, per arm, metric and
// hour, what the batch changed in the arms' moments of subject means.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";

/** One query parameter holding a column's values, for `unnest($n::type[])`. */
export function column<T>(rows: readonly T[], pick: (row: T) => unknown) {
  return sql.param(rows.map(pick));
}

/** One subject's values of one metric in one arm, from this batch. */
export type SubjectRow = {
  experimentId: string;
  phase: number;
  variantKey: string;
  metric: string;
  subject: string;
  count: number;
  sum: number;
  bucket: Date;
};

export type ArmRow = {
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

type ArmDeltaRow = {
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
};

/**
 * Upserts the batch's subject rows (sorted by key) and returns the arms' deltas, sorted by key. The statement
 * adds up, per arm, metric and hour, what the batch changed in the arms' moments of subject means (a subject's
 * old mean out, its new one in; CUPED's x is fixed, so only the terms in y move, and x's own when the subject is
 * new): a few rows back instead of one per subject.
 */
export async function upsertSubjects(tx: Db, subjectRows: SubjectRow[]): Promise<ArmRow[]> {
  const arms = await queryRows<ArmDeltaRow>(
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
  return arms.map(armRowOf).sort((a, b) => (armKey(a) < armKey(b) ? -1 : 1));
}

const armKey = (r: ArmRow) => `${r.experimentId}|${r.phase}|${r.variantKey}|${r.metric}|${r.bucket.getTime()}`;

function armRowOf(r: ArmDeltaRow): ArmRow {
  return {
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
  };
}
