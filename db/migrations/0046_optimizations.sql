-- Prompt optimizations (issue 44, item 3): one row per optimization job. From a version, a dataset split
-- (seeded) into train and held-out and the gate's scorers, the job proposes candidates under a budget of
-- model calls and cost and compares the best with the starting version on the held-out split; the result
-- is a draft (draft_id), never a version or a deployment. calls and cost_usd count every model call made.
CREATE TYPE "public"."optimization_status" AS ENUM('queued', 'running', 'completed', 'budget_exhausted', 'failed');--> statement-breakpoint
CREATE TABLE "optimizations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"prompt_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"dataset_id" uuid NOT NULL,
	"dataset_version" integer NOT NULL,
	"scorers" jsonb NOT NULL,
	"connection" text,
	"environment" text NOT NULL,
	"seed" integer NOT NULL,
	"held_out_share" double precision NOT NULL,
	"budget_calls" integer NOT NULL,
	"budget_cost_usd" double precision NOT NULL,
	"status" "optimization_status" DEFAULT 'queued' NOT NULL,
	"calls" integer DEFAULT 0 NOT NULL,
	"cost_usd" double precision DEFAULT 0 NOT NULL,
	"result" jsonb,
	"draft_id" uuid,
	"error" text,
	"created_by" uuid,
	"created_by_label" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "optimizations_budget" CHECK ("optimizations"."budget_calls" >= 1 and "optimizations"."budget_cost_usd" > 0),
	CONSTRAINT "optimizations_spend" CHECK ("optimizations"."calls" >= 0 and "optimizations"."cost_usd" >= 0),
	CONSTRAINT "optimizations_held_out_share" CHECK ("optimizations"."held_out_share" > 0 and "optimizations"."held_out_share" < 1),
	CONSTRAINT "optimizations_finished" CHECK (("optimizations"."status"::text in ('completed', 'budget_exhausted', 'failed')) = ("optimizations"."finished_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "optimizations" ADD CONSTRAINT "optimizations_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "optimizations" ADD CONSTRAINT "optimizations_prompt_id_prompts_id_fk" FOREIGN KEY ("prompt_id") REFERENCES "public"."prompts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "optimizations" ADD CONSTRAINT "optimizations_draft_id_drafts_id_fk" FOREIGN KEY ("draft_id") REFERENCES "public"."drafts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "optimizations" ADD CONSTRAINT "optimizations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "optimizations" ADD CONSTRAINT "optimizations_prompt_id_version_prompt_versions_prompt_id_version_fk" FOREIGN KEY ("prompt_id","version") REFERENCES "public"."prompt_versions"("prompt_id","version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "optimizations" ADD CONSTRAINT "optimizations_dataset_id_dataset_version_dataset_versions_dataset_id_version_fk" FOREIGN KEY ("dataset_id","dataset_version") REFERENCES "public"."dataset_versions"("dataset_id","version") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "optimizations_project_id_created_at_index" ON "optimizations" USING btree ("project_id","created_at");--> statement-breakpoint
CREATE INDEX "optimizations_prompt_id_version_index" ON "optimizations" USING btree ("prompt_id","version");