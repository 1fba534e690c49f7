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
