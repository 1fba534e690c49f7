-- What online evaluation has seen, kept as samples arrive and are scored (issue 39): per rule, version and hour
-- of the output, the samples by status and the sum of their weighted scores; per scorer, the count and sum of
-- its scores. The online page, its series and the rule's per-version counts read these, O(versions × hours),
-- whatever the number of samples. Statement-level triggers keep them on every path that writes samples or
-- scores (ingest's sampling, the scoring job, the demo seed), one upsert per statement.
CREATE TABLE "online_sample_stats" (
  "rule_id" uuid NOT NULL REFERENCES "online_eval_rules"("id") ON DELETE cascade,
  "version" integer NOT NULL,
  "bucket" timestamp with time zone NOT NULL,
  "pending" bigint NOT NULL DEFAULT 0,
  "scored" bigint NOT NULL DEFAULT 0,
  "failed" bigint NOT NULL DEFAULT 0,
  -- Of the scored samples (a sample's score is set exactly when it is scored: online_samples_scored).
  "score_sum" double precision NOT NULL DEFAULT 0,
  "last_at" timestamp with time zone,
  CONSTRAINT "online_sample_stats_pkey" PRIMARY KEY ("rule_id", "version", "bucket")
);
--> statement-breakpoint
CREATE TABLE "online_scorer_stats" (
  "rule_id" uuid NOT NULL REFERENCES "online_eval_rules"("id") ON DELETE cascade,
  "version" integer NOT NULL,
  "bucket" timestamp with time zone NOT NULL,
  "scorer" text NOT NULL,
  "n" bigint NOT NULL DEFAULT 0,
  "sum" double precision NOT NULL DEFAULT 0,
  CONSTRAINT "online_scorer_stats_pkey" PRIMARY KEY ("rule_id", "version", "bucket", "scorer")
);
--> statement-breakpoint
-- What a sample counts for (its output and input stay out of the arrays the triggers pass).
CREATE TYPE "lectern_sample_point" AS (rule_id uuid, version integer, at timestamp with time zone, status text,
  score double precision);
--> statement-breakpoint
-- A statement's change of samples: the rows it removed counted out, the rows it added counted in, keys in order
-- (concurrent statements lock rows alike); a change that moves no count writes nothing. Only new samples make
-- rows: a change or removal updates the rows its samples were counted in, if they are still there (a rule's
-- deletion removes its sums with its samples, in whichever order).
CREATE OR REPLACE FUNCTION lectern_sample_deltas(removed lectern_sample_point[], added lectern_sample_point[])
RETURNS TABLE(rule_id uuid, version integer, bucket timestamptz, pending bigint, scored bigint, failed bigint,
  score_sum double precision, last_at timestamptz)
LANGUAGE sql IMMUTABLE AS $$
  SELECT d.rule_id, d.version, c.bucket, sum(c.pending), sum(c.scored), sum(c.failed), sum(c.score_sum), max(d.last_at)
  FROM (
    SELECT r.rule_id, r.version, r.at, -1 AS sign, r.status, r.score, NULL::timestamptz AS last_at FROM unnest(removed) r
    UNION ALL
    SELECT a.rule_id, a.version, a.at, 1, a.status, a.score, a.at FROM unnest(added) a
  ) d
  CROSS JOIN LATERAL (SELECT date_trunc('hour', d.at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket,
    d.sign * (d.status = 'pending')::int AS pending, d.sign * (d.status = 'scored')::int AS scored,
    d.sign * (d.status = 'failed')::int AS failed,
    CASE WHEN d.status = 'scored' THEN d.sign * d.score ELSE 0 END AS score_sum) c
  GROUP BY d.rule_id, d.version, c.bucket
  HAVING sum(c.pending) <> 0 OR sum(c.scored) <> 0 OR sum(c.failed) <> 0 OR sum(c.score_sum) <> 0
    OR max(d.last_at) IS NOT NULL
  ORDER BY 1, 2, 3
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION lectern_online_sample_delta(removed lectern_sample_point[], added lectern_sample_point[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF removed IS NULL OR cardinality(removed) = 0 THEN
    INSERT INTO online_sample_stats AS t (rule_id, version, bucket, pending, scored, failed, score_sum, last_at)
    SELECT * FROM lectern_sample_deltas(removed, added)
    ON CONFLICT (rule_id, version, bucket) DO UPDATE SET
      pending = t.pending + excluded.pending, scored = t.scored + excluded.scored, failed = t.failed + excluded.failed,
      score_sum = t.score_sum + excluded.score_sum, last_at = greatest(t.last_at, excluded.last_at);
  ELSE
    UPDATE online_sample_stats t SET pending = t.pending + d.pending, scored = t.scored + d.scored,
      failed = t.failed + d.failed, score_sum = t.score_sum + d.score_sum, last_at = greatest(t.last_at, d.last_at)
    FROM lectern_sample_deltas(removed, added) d
    WHERE t.rule_id = d.rule_id AND t.version = d.version AND t.bucket = d.bucket;
  END IF;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION lectern_online_samples_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM lectern_online_sample_delta('{}', (SELECT array_agg((n.rule_id, n.version, n.at, n.status::text, n.score)::lectern_sample_point) FROM added n));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM lectern_online_sample_delta((SELECT array_agg((o.rule_id, o.version, o.at, o.status::text, o.score)::lectern_sample_point) FROM removed o), (SELECT array_agg((n.rule_id, n.version, n.at, n.status::text, n.score)::lectern_sample_point) FROM added n));
  ELSE
    PERFORM lectern_online_sample_delta((SELECT array_agg((o.rule_id, o.version, o.at, o.status::text, o.score)::lectern_sample_point) FROM removed o), '{}');
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "online_samples_counted_insert" AFTER INSERT ON "online_samples"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION lectern_online_samples_changed();
--> statement-breakpoint
CREATE TRIGGER "online_samples_counted_update" AFTER UPDATE ON "online_samples"
  REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION lectern_online_samples_changed();
--> statement-breakpoint
CREATE TRIGGER "online_samples_counted_delete" AFTER DELETE ON "online_samples"
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION lectern_online_samples_changed();
--> statement-breakpoint
-- Scores are written once (never updated). One removed on its own is counted out; those removed with their
-- sample are not (the sample is gone when they are): samples are removed only with their rule, and its sums.
CREATE OR REPLACE FUNCTION lectern_online_scores_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO online_scorer_stats AS t (rule_id, version, bucket, scorer, n, sum)
    SELECT s.rule_id, s.version, date_trunc('hour', s.at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', x.scorer, count(*), sum(x.score)
    FROM added x JOIN online_samples s ON s.id = x.sample_id
    WHERE x.score IS NOT NULL
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (rule_id, version, bucket, scorer) DO UPDATE SET n = t.n + excluded.n, sum = t.sum + excluded.sum;
  ELSE
    UPDATE online_scorer_stats t SET n = t.n - d.n, sum = t.sum - d.sum
    FROM (
      SELECT s.rule_id, s.version, date_trunc('hour', s.at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket, x.scorer,
        count(*) AS n, sum(x.score) AS sum
      FROM removed x JOIN online_samples s ON s.id = x.sample_id
      WHERE x.score IS NOT NULL
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ) d
    WHERE t.rule_id = d.rule_id AND t.version = d.version AND t.bucket = d.bucket AND t.scorer = d.scorer;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "online_scores_counted_insert" AFTER INSERT ON "online_scores"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION lectern_online_scores_changed();
--> statement-breakpoint
CREATE TRIGGER "online_scores_counted_delete" AFTER DELETE ON "online_scores"
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION lectern_online_scores_changed();
--> statement-breakpoint
-- What is there already.
INSERT INTO online_sample_stats (rule_id, version, bucket, pending, scored, failed, score_sum, last_at)
SELECT rule_id, version, date_trunc('hour', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', count(*) FILTER (WHERE status = 'pending'),
  count(*) FILTER (WHERE status = 'scored'), count(*) FILTER (WHERE status = 'failed'),
  coalesce(sum(score) FILTER (WHERE status = 'scored'), 0), max(at)
FROM online_samples GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO online_scorer_stats (rule_id, version, bucket, scorer, n, sum)
SELECT s.rule_id, s.version, date_trunc('hour', s.at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', x.scorer, count(*), sum(x.score)
FROM online_scores x JOIN online_samples s ON s.id = x.sample_id
WHERE x.score IS NOT NULL
GROUP BY 1, 2, 3, 4;
