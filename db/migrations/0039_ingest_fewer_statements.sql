-- CUPED covariates read inside the insert that makes a subject's rows (lib/events/aggregate.ts), instead of an
-- update of the rows just made (issue 39's ingest into a running experiment). The rule is 0030's; what changes:
-- - p_buckets: the batch's first hour of each subject in p_subjects, for subjects without an exposure (their
--   first value's hour), since the batch's own rows are not in experiment_subject_stats yet when this runs;
-- - the subject's first exposure is looked up once (OFFSET 0 keeps the lateral from being inlined twice);
-- - events are received today at the latest, so the partitions of the days ahead are pruned too.
CREATE OR REPLACE FUNCTION lectern_subject_priors(p_experiment uuid, p_phase integer, p_subjects text[],
  p_buckets timestamptz[])
RETURNS TABLE(subject text, metric text, prior_count bigint, prior_sum double precision)
LANGUAGE sql STABLE AS $$
  WITH e AS MATERIALIZED (
    SELECT x.project_id, x.prompt_id, env.name AS environment, x.cuped_lookback_days AS days, x.mode = 'bandit' AS any_phase
    FROM experiments x JOIN environments env ON env.id = x.environment_id WHERE x.id = p_experiment
  ), f AS MATERIALIZED (
    SELECT s.subject, w.first_at, w.first_at - e.days * interval '86400 seconds' AS since
    FROM e, (SELECT u.subject, min(u.bucket) AS bucket FROM unnest(p_subjects, p_buckets) u(subject, bucket)
             GROUP BY u.subject) s
    CROSS JOIN LATERAL (SELECT coalesce(
      (SELECT min(xp.first_at) FROM experiment_exposures xp
        WHERE xp.experiment_id = p_experiment AND xp.subject = s.subject AND (e.any_phase OR xp.phase = p_phase)),
      least(s.bucket, (SELECT min(st.bucket) FROM experiment_subject_stats st
        WHERE st.experiment_id = p_experiment AND st.subject = s.subject AND (e.any_phase OR st.phase = p_phase)))
    ) AS first_at OFFSET 0) w
  )
  SELECT f.subject, m.name, count(m.value), coalesce(sum(m.value), 0)
  FROM e, f
    CROSS JOIN LATERAL (
      SELECT ev.type, ev.data FROM metric_events ev
      WHERE ev.prompt_id = e.prompt_id AND ev.subject = f.subject AND ev.at >= f.since AND ev.at < f.first_at
        AND ev.received_day >= (f.since AT TIME ZONE 'UTC')::date - 1
        AND ev.received_day <= (now() AT TIME ZONE 'UTC')::date
        AND ev.project_id = e.project_id AND ev.environment = e.environment
        AND (ev.experiment_id IS NULL OR ev.experiment_id <> p_experiment)
      OFFSET 0
    ) ev
    CROSS JOIN LATERAL lectern_event_metrics(ev.type, ev.data) m
  GROUP BY f.subject, m.name
$$;
--> statement-breakpoint
-- The three-argument form (0027's lectern_subject_prior reads it): the same rule, the rows already stored.
CREATE OR REPLACE FUNCTION lectern_subject_priors(p_experiment uuid, p_phase integer, p_subjects text[])
RETURNS TABLE(subject text, metric text, prior_count bigint, prior_sum double precision)
LANGUAGE sql STABLE AS $$
  SELECT * FROM lectern_subject_priors(p_experiment, p_phase, p_subjects, NULL::timestamptz[])
$$;
--> statement-breakpoint
-- The sums every batch of an experiment (or a prompt) shares, added in one call at the end of an ingest's
-- transaction instead of four statements (lib/events/aggregate.ts): the arms' new subjects, the ratios' moments,
-- the arms' moments, then the versions' moments, in that order and each list sorted by key by the caller, so
-- concurrent batches lock the shared rows in one order and hold them for one round trip. Each argument is a JSON
-- array of rows named as the table's columns; every value is a delta to add.
CREATE OR REPLACE FUNCTION lectern_add_shared_sums(p_arm_exposures json, p_ratios json, p_arms json, p_versions json)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO experiment_arm_exposures AS t (experiment_id, phase, variant_key, bucket, subjects, first_at, last_at)
  SELECT * FROM json_to_recordset(p_arm_exposures) AS r(experiment_id uuid, phase int, variant_key text,
    bucket timestamptz, subjects bigint, first_at timestamptz, last_at timestamptz)
  ON CONFLICT (experiment_id, phase, variant_key, bucket) DO UPDATE SET subjects = t.subjects + excluded.subjects,
    first_at = least(t.first_at, excluded.first_at), last_at = greatest(t.last_at, excluded.last_at);

  INSERT INTO experiment_ratio_stats AS t (experiment_id, scope, variant_key, ratio, n, sum_x, sum_y, sum_xx, sum_yy, sum_xy)
  SELECT * FROM json_to_recordset(p_ratios) AS r(experiment_id uuid, scope int, variant_key text, ratio text,
    n bigint, sum_x float8, sum_y float8, sum_xx float8, sum_yy float8, sum_xy float8)
  ON CONFLICT (experiment_id, scope, variant_key, ratio) DO UPDATE SET n = t.n + excluded.n,
    sum_x = t.sum_x + excluded.sum_x, sum_y = t.sum_y + excluded.sum_y, sum_xx = t.sum_xx + excluded.sum_xx,
    sum_yy = t.sum_yy + excluded.sum_yy, sum_xy = t.sum_xy + excluded.sum_xy;

  INSERT INTO experiment_arm_stats AS t (experiment_id, phase, variant_key, metric, bucket, n, sum, sum_sq, n_prior,
    sum_prior, sum_prior_sq, sum_prior_y, sum_y_with_prior)
  SELECT * FROM json_to_recordset(p_arms) AS r(experiment_id uuid, phase int, variant_key text, metric text,
    bucket timestamptz, n bigint, sum float8, sum_sq float8, n_prior bigint, sum_prior float8, sum_prior_sq float8,
    sum_prior_y float8, sum_y_with_prior float8)
  ON CONFLICT (experiment_id, phase, variant_key, metric, bucket) DO UPDATE SET n = t.n + excluded.n,
    sum = t.sum + excluded.sum, sum_sq = t.sum_sq + excluded.sum_sq, n_prior = t.n_prior + excluded.n_prior,
    sum_prior = t.sum_prior + excluded.sum_prior, sum_prior_sq = t.sum_prior_sq + excluded.sum_prior_sq,
    sum_prior_y = t.sum_prior_y + excluded.sum_prior_y, sum_y_with_prior = t.sum_y_with_prior + excluded.sum_y_with_prior;

  INSERT INTO version_metric_stats AS t (prompt_id, version, environment, metric, bucket, n, sum, sum_sq)
  SELECT * FROM json_to_recordset(p_versions) AS r(prompt_id uuid, version int, environment text, metric text,
    bucket timestamptz, n bigint, sum float8, sum_sq float8)
  ON CONFLICT (prompt_id, version, environment, metric, bucket) DO UPDATE SET n = t.n + excluded.n,
    sum = t.sum + excluded.sum, sum_sq = t.sum_sq + excluded.sum_sq;
END
$$;
