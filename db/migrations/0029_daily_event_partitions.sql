-- Raw events in daily partitions by the UTC day they were received (docs/scaling.md): retention drops whole
-- days (lib/events/partitions.ts) instead of deleting rows. A client's event id is unique per day's partition;
-- ingest also looks for it in the two days before, so a resend within a day is still counted once.
ALTER TABLE "metric_events" RENAME TO "metric_events_unpartitioned";
--> statement-breakpoint
ALTER INDEX IF EXISTS "metric_events_pkey" RENAME TO "metric_events_unpartitioned_pkey";
--> statement-breakpoint
ALTER INDEX IF EXISTS "metric_events_projectId_eventId_unique" RENAME TO "metric_events_unpartitioned_event_unique";
--> statement-breakpoint
ALTER INDEX IF EXISTS "metric_events_received_at_index" RENAME TO "metric_events_unpartitioned_received_at";
--> statement-breakpoint
ALTER INDEX IF EXISTS "metric_events_prompt_id_version_at_index" RENAME TO "metric_events_unpartitioned_version_at";
--> statement-breakpoint
ALTER INDEX IF EXISTS "metric_events_project_received" RENAME TO "metric_events_unpartitioned_project_received";
--> statement-breakpoint
ALTER INDEX IF EXISTS "metric_events_prompt_id_subject_at_index" RENAME TO "metric_events_unpartitioned_subject_at";
--> statement-breakpoint
CREATE TABLE "metric_events" (
  "id" bigint NOT NULL DEFAULT nextval('metric_events_id_seq'::regclass),
  "project_id" uuid NOT NULL REFERENCES "projects"("id") ON DELETE cascade,
  "event_id" text NOT NULL,
  "type" text NOT NULL,
  "prompt_id" uuid REFERENCES "prompts"("id") ON DELETE cascade,
  "version" integer,
  "environment" text,
  "experiment_id" uuid REFERENCES "experiments"("id") ON DELETE set null,
  "phase" integer,
  "variant_key" text,
  "subject" text,
  "at" timestamp with time zone NOT NULL,
  "data" jsonb NOT NULL,
  "received_at" timestamp with time zone NOT NULL DEFAULT now(),
  "received_day" date NOT NULL DEFAULT ((now() AT TIME ZONE 'UTC')::date),
  CONSTRAINT "metric_events_pkey" PRIMARY KEY ("id", "received_day"),
  CONSTRAINT "metric_events_project_id_event_id_received_day_unique" UNIQUE ("project_id", "event_id", "received_day")
) PARTITION BY RANGE ("received_day");
--> statement-breakpoint
CREATE TABLE "metric_events_default" PARTITION OF "metric_events" DEFAULT;
--> statement-breakpoint
CREATE INDEX "metric_events_project_id_event_id_index" ON "metric_events" ("project_id", "event_id");
--> statement-breakpoint
CREATE INDEX "metric_events_received_at_index" ON "metric_events" ("received_at");
--> statement-breakpoint
CREATE INDEX "metric_events_prompt_id_version_at_index" ON "metric_events" ("prompt_id", "version", "at");
--> statement-breakpoint
CREATE INDEX "metric_events_project_received" ON "metric_events" ("project_id", "received_at");
--> statement-breakpoint
CREATE INDEX "metric_events_prompt_id_subject_at_index" ON "metric_events" ("prompt_id", "subject", "at");
--> statement-breakpoint
-- A partition for every day the old table holds events of, and for today and the next three.
DO $$
DECLARE d date;
BEGIN
  FOR d IN SELECT generate_series(
      least((SELECT min(("received_at" AT TIME ZONE 'UTC')::date) FROM "metric_events_unpartitioned"), (now() AT TIME ZONE 'UTC')::date),
      (now() AT TIME ZONE 'UTC')::date + 3, interval '1 day')::date
  LOOP
    EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF "metric_events" FOR VALUES FROM (%L) TO (%L)',
      'metric_events_' || to_char(d, 'YYYYMMDD'), d, d + 1);
  END LOOP;
END $$;
--> statement-breakpoint
INSERT INTO "metric_events" ("id", "project_id", "event_id", "type", "prompt_id", "version", "environment",
  "experiment_id", "phase", "variant_key", "subject", "at", "data", "received_at", "received_day")
SELECT "id", "project_id", "event_id", "type", "prompt_id", "version", "environment", "experiment_id", "phase",
  "variant_key", "subject", "at", "data", "received_at", ("received_at" AT TIME ZONE 'UTC')::date
FROM "metric_events_unpartitioned";
--> statement-breakpoint
ALTER SEQUENCE "metric_events_id_seq" OWNED BY NONE;
--> statement-breakpoint
DROP TABLE "metric_events_unpartitioned";
--> statement-breakpoint
ALTER SEQUENCE "metric_events_id_seq" OWNED BY "metric_events"."id";
