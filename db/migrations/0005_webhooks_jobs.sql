CREATE TYPE "public"."webhook_delivery_status" AS ENUM('pending', 'delivered', 'failed', 'retrying');--> statement-breakpoint
CREATE TYPE "public"."webhook_format" AS ENUM('json', 'slack');--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"webhook_id" uuid NOT NULL,
	"event_id" text NOT NULL,
	"audit_id" bigint,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" "webhook_delivery_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_status_code" smallint,
	"last_error" text,
	"next_attempt_at" timestamp with time zone,
	"claimed_until" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"redelivery_of" uuid
);
--> statement-breakpoint
CREATE TABLE "webhook_dispatch_state" (
	"id" smallint PRIMARY KEY NOT NULL,
	"last_txid" "xid8" NOT NULL,
	"last_audit_id" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"url" text NOT NULL,
	"events" text[] NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"format" "webhook_format" DEFAULT 'json' NOT NULL,
	"secret" text NOT NULL,
	"secret_hint" text NOT NULL,
	"created_by" uuid,
	"created_by_label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "txid" "xid8" DEFAULT pg_current_xact_id() NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_id_webhooks_id_fk" FOREIGN KEY ("webhook_id") REFERENCES "public"."webhooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_event" ON "webhook_deliveries" USING btree ("webhook_id","event_id") WHERE "webhook_deliveries"."redelivery_of" is null;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_webhook_id_created_at_index" ON "webhook_deliveries" USING btree ("webhook_id","created_at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE "webhook_deliveries"."status" in ('pending', 'retrying');--> statement-breakpoint
CREATE INDEX "webhooks_project_id_index" ON "webhooks" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "audit_log_txid_id_index" ON "audit_log" USING btree ("txid","id");--> statement-breakpoint
-- ---------------------------------------------------------------------------------------------
-- Hand-written (drizzle-kit cannot generate these); keep this block at the end when regenerating.
-- ---------------------------------------------------------------------------------------------
-- Every transaction that writes audit entries announces its commit on channel lectern_audit
-- (NOTIFY is delivered only on commit, once per transaction), so the webhook dispatcher runs at once.
CREATE OR REPLACE FUNCTION lectern_audit_notify() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('lectern_audit', '');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_log_notify AFTER INSERT ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION lectern_audit_notify();
--> statement-breakpoint
-- Webhooks start with the entries written after this migration (entries before it all carry its txid).
INSERT INTO "webhook_dispatch_state" ("id", "last_txid", "last_audit_id")
  VALUES (1, pg_current_xact_id(), 9223372036854775807) ON CONFLICT DO NOTHING;
