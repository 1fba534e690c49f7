-- When each arm's new subjects of an hour arrived (issue 41): the time to the planned sample is read from
-- the exposures that actually arrived in the last hour, not from the hour's count spread over the whole hour.
ALTER TABLE "experiment_arm_exposures" ADD COLUMN "first_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "experiment_arm_exposures" ADD COLUMN "last_at" timestamp with time zone;--> statement-breakpoint
-- Existing rows from the subjects' first exposures (the same hour, in UTC, as ingest's hourBucket).
UPDATE "experiment_arm_exposures" AS a SET "first_at" = s.f, "last_at" = s.l
FROM (
  SELECT experiment_id, phase, variant_key, date_trunc('hour', first_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket,
         min(first_at) AS f, max(first_at) AS l
  FROM "experiment_exposures" GROUP BY 1, 2, 3, 4
) AS s
WHERE a.experiment_id = s.experiment_id AND a.phase = s.phase AND a.variant_key = s.variant_key AND a.bucket = s.bucket;
