ALTER TABLE "experiment_arm_exposures" ADD COLUMN "arrivals" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "experiment_arm_stats" ADD COLUMN "events" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Written by hand below (issue 58). Existing rows: each subject arrives in the phase of its earliest stored
-- exposure (the hour, in UTC, as ingest's hourBucket); each arm's events are its subjects' counts.
UPDATE "experiment_arm_exposures" AS a SET "arrivals" = s.n
FROM (
  SELECT experiment_id, phase, variant_key, date_trunc('hour', first_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket,
         count(*) AS n
  FROM (SELECT DISTINCT ON (experiment_id, subject) experiment_id, phase, variant_key, first_at
        FROM "experiment_exposures" ORDER BY experiment_id, subject, phase) AS first_seen
  GROUP BY 1, 2, 3, 4
) AS s
WHERE a.experiment_id = s.experiment_id AND a.phase = s.phase AND a.variant_key = s.variant_key AND a.bucket = s.bucket;
--> statement-breakpoint
UPDATE "experiment_arm_stats" AS a SET "events" = s.n
FROM (
  SELECT experiment_id, phase, variant_key, metric, bucket, sum(count) AS n
  FROM "experiment_subject_stats" GROUP BY 1, 2, 3, 4, 5
) AS s
WHERE a.experiment_id = s.experiment_id AND a.phase = s.phase AND a.variant_key = s.variant_key
  AND a.metric = s.metric AND a.bucket = s.bucket;
--> statement-breakpoint
-- lectern_add_shared_sums (migration 0040) with the arms' arrivals and events: every value is still a delta to add.
CREATE OR REPLACE FUNCTION lectern_add_shared_sums(p_arm_exposures json, p_ratios json, p_arms json, p_versions json,
  p_latency_bins json)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO experiment_arm_exposures AS t (experiment_id, phase, variant_key, bucket, subjects, arrivals, first_at, last_at)
  SELECT * FROM json_to_recordset(p_arm_exposures) AS r(experiment_id uuid, phase int, variant_key text,
    bucket timestamptz, subjects bigint, arrivals bigint, first_at timestamptz, last_at timestamptz)
  ON CONFLICT (experiment_id, phase, variant_key, bucket) DO UPDATE SET subjects = t.subjects + excluded.subjects,
    arrivals = t.arrivals + excluded.arrivals,
    first_at = least(t.first_at, excluded.first_at), last_at = greatest(t.last_at, excluded.last_at);

  INSERT INTO experiment_ratio_stats AS t (experiment_id, scope, variant_key, ratio, n, sum_x, sum_y, sum_xx, sum_yy, sum_xy)
  SELECT * FROM json_to_recordset(p_ratios) AS r(experiment_id uuid, scope int, variant_key text, ratio text,
    n bigint, sum_x float8, sum_y float8, sum_xx float8, sum_yy float8, sum_xy float8)
  ON CONFLICT (experiment_id, scope, variant_key, ratio) DO UPDATE SET n = t.n + excluded.n,
    sum_x = t.sum_x + excluded.sum_x, sum_y = t.sum_y + excluded.sum_y, sum_xx = t.sum_xx + excluded.sum_xx,
    sum_yy = t.sum_yy + excluded.sum_yy, sum_xy = t.sum_xy + excluded.sum_xy;

  INSERT INTO experiment_arm_stats AS t (experiment_id, phase, variant_key, metric, bucket, n, events, sum, sum_sq,
    n_prior, sum_prior, sum_prior_sq, sum_prior_y, sum_y_with_prior)
  SELECT * FROM json_to_recordset(p_arms) AS r(experiment_id uuid, phase int, variant_key text, metric text,
    bucket timestamptz, n bigint, events bigint, sum float8, sum_sq float8, n_prior bigint, sum_prior float8,
    sum_prior_sq float8, sum_prior_y float8, sum_y_with_prior float8)
  ON CONFLICT (experiment_id, phase, variant_key, metric, bucket) DO UPDATE SET n = t.n + excluded.n,
    events = t.events + excluded.events,
    sum = t.sum + excluded.sum, sum_sq = t.sum_sq + excluded.sum_sq, n_prior = t.n_prior + excluded.n_prior,
    sum_prior = t.sum_prior + excluded.sum_prior, sum_prior_sq = t.sum_prior_sq + excluded.sum_prior_sq,
    sum_prior_y = t.sum_prior_y + excluded.sum_prior_y, sum_y_with_prior = t.sum_y_with_prior + excluded.sum_y_with_prior;

  INSERT INTO version_metric_stats AS t (prompt_id, version, environment, metric, bucket, n, sum, sum_sq)
  SELECT * FROM json_to_recordset(p_versions) AS r(prompt_id uuid, version int, environment text, metric text,
    bucket timestamptz, n bigint, sum float8, sum_sq float8)
  ON CONFLICT (prompt_id, version, environment, metric, bucket) DO UPDATE SET n = t.n + excluded.n,
    sum = t.sum + excluded.sum, sum_sq = t.sum_sq + excluded.sum_sq;

  INSERT INTO version_latency_bins AS t (prompt_id, version, environment, bucket, bin, n)
  SELECT * FROM json_to_recordset(p_latency_bins) AS r(prompt_id uuid, version int, environment text,
    bucket timestamptz, bin smallint, n bigint)
  ON CONFLICT (prompt_id, version, environment, bucket, bin) DO UPDATE SET n = t.n + excluded.n;
END
$$;
