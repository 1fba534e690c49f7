CREATE TABLE "experiment_ratio_stats" (
	"experiment_id" uuid NOT NULL,
	"scope" integer NOT NULL,
	"variant_key" text NOT NULL,
	"ratio" text NOT NULL,
	"n" bigint NOT NULL,
	"sum_x" double precision NOT NULL,
	"sum_y" double precision NOT NULL,
	"sum_xx" double precision NOT NULL,
	"sum_yy" double precision NOT NULL,
	"sum_xy" double precision NOT NULL,
	CONSTRAINT "experiment_ratio_stats_experiment_id_scope_variant_key_ratio_pk" PRIMARY KEY("experiment_id","scope","variant_key","ratio")
);
--> statement-breakpoint
ALTER TABLE "experiment_arm_stats" ADD COLUMN "n_prior" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "experiment_arm_stats" ADD COLUMN "sum_prior" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "experiment_arm_stats" ADD COLUMN "sum_prior_sq" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "experiment_arm_stats" ADD COLUMN "sum_prior_y" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "experiment_arm_stats" ADD COLUMN "sum_y_with_prior" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "experiment_subject_stats" ADD COLUMN "prior_count" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "experiment_subject_stats" ADD COLUMN "prior_sum" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "experiment_ratio_stats" ADD CONSTRAINT "experiment_ratio_stats_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "experiment_exposures_experiment_id_subject_index" ON "experiment_exposures" USING btree ("experiment_id","subject");--> statement-breakpoint
CREATE INDEX "experiment_subject_stats_experiment_id_subject_index" ON "experiment_subject_stats" USING btree ("experiment_id","subject");--> statement-breakpoint
CREATE INDEX "metric_events_prompt_id_subject_at_index" ON "metric_events" USING btree ("prompt_id","subject","at");
--> statement-breakpoint
-- The metric values one stored event contributes: lib/experiments/events.ts's metricsOf, in SQL, for reads
-- that stay in the database (lib/experiments/analysis/prior.int.test.ts checks that the two agree on every kind).
CREATE OR REPLACE FUNCTION lectern_event_metrics(t text, d jsonb) RETURNS TABLE(name text, value double precision)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT m.name, m.value FROM (VALUES
    ('thumbs', CASE WHEN t = 'feedback' THEN (d->'value')::double precision END),
    ('rating', CASE WHEN t = 'feedback' THEN (d->'rating')::double precision END),
    (CASE WHEN t = 'outcome' THEN coalesce(d->>'name', 'completed') END,
      CASE WHEN t = 'outcome' THEN CASE WHEN (d->'value')::boolean THEN 1 ELSE 0 END END::double precision),
    ('latency_ms', CASE WHEN t = 'generation' THEN (d->'latencyMs')::double precision END),
    ('ttft_ms', CASE WHEN t = 'generation' THEN (d->'ttftMs')::double precision END),
    ('input_tokens', CASE WHEN t = 'generation' THEN (d->'inputTokens')::double precision END),
    ('output_tokens', CASE WHEN t = 'generation' THEN (d->'outputTokens')::double precision END),
    ('cost_usd', CASE WHEN t = 'generation' THEN (d->'costUsd')::double precision END),
    ('refusal', CASE WHEN t = 'generation' AND d ? 'refusal' THEN CASE WHEN (d->'refusal')::boolean THEN 1 ELSE 0 END END::double precision),
    (CASE WHEN t = 'metric' THEN d->>'name' END, CASE WHEN t = 'metric' THEN (d->'value')::double precision END)
  ) AS m(name, value)
  WHERE m.name IS NOT NULL AND m.value IS NOT NULL
$$;
--> statement-breakpoint
-- A subject's CUPED covariate for one metric of an experiment: the count and sum of its values of that metric
-- on the experiment's prompt, in its environment, in the look-back before its first exposure (in the same
-- phase, or any phase of a bandit; without an exposure, the hour of its first value), leaving out events
-- attributed to this experiment (they came after exposure, whatever their `at` says).
CREATE OR REPLACE FUNCTION lectern_subject_prior(p_experiment uuid, p_phase integer, p_metric text, p_subject text,
  OUT prior_count bigint, OUT prior_sum double precision)
LANGUAGE sql STABLE AS $$
  WITH e AS (
    SELECT x.project_id, x.prompt_id, env.name AS environment, x.cuped_lookback_days AS days, x.mode = 'bandit' AS any_phase
    FROM experiments x JOIN environments env ON env.id = x.environment_id WHERE x.id = p_experiment
  ), f AS (
    SELECT coalesce(
      (SELECT min(xp.first_at) FROM experiment_exposures xp, e
        WHERE xp.experiment_id = p_experiment AND xp.subject = p_subject AND (e.any_phase OR xp.phase = p_phase)),
      (SELECT min(s.bucket) FROM experiment_subject_stats s, e
        WHERE s.experiment_id = p_experiment AND s.subject = p_subject AND (e.any_phase OR s.phase = p_phase))
    ) AS first_at
  )
  SELECT count(m.value), coalesce(sum(m.value), 0)
  FROM e, f, metric_events ev CROSS JOIN LATERAL lectern_event_metrics(ev.type, ev.data) m
  WHERE ev.prompt_id = e.prompt_id AND ev.subject = p_subject AND ev.project_id = e.project_id
    AND ev.environment = e.environment
    AND ev.at >= f.first_at - e.days * interval '86400 seconds' AND ev.at < f.first_at
    AND (ev.experiment_id IS NULL OR ev.experiment_id <> p_experiment) AND m.name = p_metric
$$;
--> statement-breakpoint
-- Covariates of the subjects already in experiments, and their arms' moments.
UPDATE experiment_subject_stats s SET (prior_count, prior_sum) =
  (SELECT f.prior_count, f.prior_sum FROM lectern_subject_prior(s.experiment_id, s.phase, s.metric, s.subject) f);
--> statement-breakpoint
UPDATE experiment_arm_stats a SET n_prior = m.n_prior, sum_prior = m.sum_prior, sum_prior_sq = m.sum_prior_sq,
  sum_prior_y = m.sum_prior_y, sum_y_with_prior = m.sum_y_with_prior
FROM (
  SELECT experiment_id, phase, variant_key, metric, bucket, count(*) AS n_prior, sum(x) AS sum_prior,
    sum(x * x) AS sum_prior_sq, sum(x * y) AS sum_prior_y, sum(y) AS sum_y_with_prior
  FROM (SELECT experiment_id, phase, variant_key, metric, bucket, prior_sum / prior_count AS x, sum / count AS y
        FROM experiment_subject_stats WHERE prior_count > 0) v
  GROUP BY experiment_id, phase, variant_key, metric, bucket
) m
WHERE a.experiment_id = m.experiment_id AND a.phase = m.phase AND a.variant_key = m.variant_key
  AND a.metric = m.metric AND a.bucket = m.bucket;
--> statement-breakpoint
-- Ratio metrics' moments of the subjects already in experiments (a bandit's across its phases, scope 0).
INSERT INTO experiment_ratio_stats (experiment_id, scope, variant_key, ratio, n, sum_x, sum_y, sum_xx, sum_yy, sum_xy)
SELECT experiment_id, scope, variant_key, ratio, count(*), sum(x), sum(y), sum(x * x), sum(y * y), sum(x * y)
FROM (
  SELECT e.id AS experiment_id, CASE WHEN e.mode = 'bandit' THEN 0 ELSE s.phase END AS scope, s.variant_key,
    r->>'name' AS ratio, s.subject,
    coalesce(sum(s.sum) FILTER (WHERE s.metric = r->>'numerator'), 0) AS x,
    coalesce(sum(s.sum) FILTER (WHERE s.metric = r->>'denominator'), 0) AS y
  FROM experiments e
  CROSS JOIN LATERAL jsonb_array_elements(e.ratio_metrics) r
  JOIN experiment_subject_stats s ON s.experiment_id = e.id AND s.metric IN (r->>'numerator', r->>'denominator')
  GROUP BY 1, 2, 3, 4, 5
) v
GROUP BY experiment_id, scope, variant_key, ratio;
