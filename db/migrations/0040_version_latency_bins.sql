-- Generation latency per version, environment and day as counts in logarithmic bins (bin b: latencies in
-- [1.05^b - 1, 1.05^(b+1) - 1) ms), kept as events arrive, so that GET /api/v1/prompts/{name}/stats reads p50 and
-- p95 from counts instead of raw events. Filled here from the raw events still kept (days past retention have
-- their means and counts in version_metric_stats, not their percentiles).
CREATE TABLE "version_latency_bins" (
	"prompt_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"environment" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"bin" smallint NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "version_latency_bins_prompt_id_version_environment_bucket_bin_pk" PRIMARY KEY("prompt_id","version","environment","bucket","bin")
);
--> statement-breakpoint
ALTER TABLE "version_latency_bins" ADD CONSTRAINT "version_latency_bins_prompt_id_prompts_id_fk" FOREIGN KEY ("prompt_id") REFERENCES "public"."prompts"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
-- The sums every batch of an experiment (or a prompt) shares, added in one call at the end of an ingest's
-- transaction instead of four statements (lib/events/aggregate.ts): the arms' new subjects, the ratios' moments,
-- the arms' moments, then the versions' moments and latency bins, in that order and each list sorted by key by the caller, so
-- concurrent batches lock the shared rows in one order and hold them for one round trip. Each argument is a JSON
-- array of rows named as the table's columns; every value is a delta to add.
CREATE OR REPLACE FUNCTION lectern_add_shared_sums(p_arm_exposures json, p_ratios json, p_arms json, p_versions json,
  p_latency_bins json)
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

  INSERT INTO version_latency_bins AS t (prompt_id, version, environment, bucket, bin, n)
  SELECT * FROM json_to_recordset(p_latency_bins) AS r(prompt_id uuid, version int, environment text,
    bucket timestamptz, bin smallint, n bigint)
  ON CONFLICT (prompt_id, version, environment, bucket, bin) DO UPDATE SET n = t.n + excluded.n;
END
$$;
--> statement-breakpoint
INSERT INTO version_latency_bins (prompt_id, version, environment, bucket, bin, n)
SELECT prompt_id, version, environment, to_timestamp(floor(extract(epoch FROM at) / 86400) * 86400),
  floor(ln((data->>'latencyMs')::float8 + 1) / ln(1.05))::smallint, count(*)
FROM metric_events
WHERE type = 'generation' AND jsonb_typeof(data->'latencyMs') = 'number'
GROUP BY 1, 2, 3, 4, 5;
