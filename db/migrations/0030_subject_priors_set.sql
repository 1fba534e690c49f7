-- CUPED covariates of many subjects at once (lib/events/aggregate.ts): one set-based read per experiment and
-- phase in a batch, every metric together, instead of one call per subject and metric (issue 39's ingest).
-- The rule is 0027's lectern_subject_prior, now defined through this one: a subject's values of each metric on the
-- experiment's prompt, in its environment, in the look-back before its first exposure (in the same phase, or
-- any phase of a bandit; without an exposure, the hour of its first value), leaving out events attributed to
-- this experiment. An event is received at most 5 minutes before its `at` (ingest refuses later `at`s), so
-- only the days' partitions from the look-back's start (less a day) can hold one: the received_day bound
-- prunes the others at execution.
CREATE OR REPLACE FUNCTION lectern_subject_priors(p_experiment uuid, p_phase integer, p_subjects text[])
RETURNS TABLE(subject text, metric text, prior_count bigint, prior_sum double precision)
LANGUAGE sql STABLE AS $$
  -- MATERIALIZED and OFFSET 0 keep the plan per subject: one index range scan of (prompt, subject, at) each,
  -- instead of every event of the prompt hashed against the subjects.
  WITH e AS MATERIALIZED (
    SELECT x.project_id, x.prompt_id, env.name AS environment, x.cuped_lookback_days AS days, x.mode = 'bandit' AS any_phase
    FROM experiments x JOIN environments env ON env.id = x.environment_id WHERE x.id = p_experiment
  ), f AS MATERIALIZED (
    SELECT s.subject, w.first_at, w.first_at - e.days * interval '86400 seconds' AS since
    FROM e, (SELECT DISTINCT u AS subject FROM unnest(p_subjects) u) s
    CROSS JOIN LATERAL (SELECT coalesce(
      (SELECT min(xp.first_at) FROM experiment_exposures xp
        WHERE xp.experiment_id = p_experiment AND xp.subject = s.subject AND (e.any_phase OR xp.phase = p_phase)),
      (SELECT min(st.bucket) FROM experiment_subject_stats st
        WHERE st.experiment_id = p_experiment AND st.subject = s.subject AND (e.any_phase OR st.phase = p_phase))
    ) AS first_at) w
  )
  SELECT f.subject, m.name, count(m.value), coalesce(sum(m.value), 0)
  FROM e, f
    CROSS JOIN LATERAL (
      SELECT ev.type, ev.data FROM metric_events ev
      WHERE ev.prompt_id = e.prompt_id AND ev.subject = f.subject AND ev.at >= f.since AND ev.at < f.first_at
        AND ev.received_day >= (f.since AT TIME ZONE 'UTC')::date - 1
        AND ev.project_id = e.project_id AND ev.environment = e.environment
        AND (ev.experiment_id IS NULL OR ev.experiment_id <> p_experiment)
      OFFSET 0
    ) ev
    CROSS JOIN LATERAL lectern_event_metrics(ev.type, ev.data) m
  GROUP BY f.subject, m.name
$$;
--> statement-breakpoint
-- One subject and metric (0027's backfill reads it this way): the same rule, through the set-based function.
CREATE OR REPLACE FUNCTION lectern_subject_prior(p_experiment uuid, p_phase integer, p_metric text, p_subject text,
  OUT prior_count bigint, OUT prior_sum double precision)
LANGUAGE sql STABLE AS $$
  SELECT coalesce(sum(p.prior_count), 0)::bigint, coalesce(sum(p.prior_sum), 0)
  FROM lectern_subject_priors(p_experiment, p_phase, ARRAY[p_subject]) p WHERE p.metric = p_metric
$$;
--> statement-breakpoint
-- Indexes no read uses any more, each written on every event: (project_id, event_id) is the unique key's
-- prefix, and retention drops days' partitions instead of deleting by received_at.
DROP INDEX IF EXISTS "metric_events_project_id_event_id_index";
--> statement-breakpoint
DROP INDEX IF EXISTS "metric_events_received_at_index";
--> statement-breakpoint
DROP INDEX IF EXISTS "metric_events_project_received";
