CREATE TYPE "public"."eval_run_status" AS ENUM('queued', 'running', 'completed', 'failed', 'cancelled');--> statement-breakpoint
CREATE TABLE "dataset_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dataset_id" uuid NOT NULL,
	"key" uuid DEFAULT gen_random_uuid() NOT NULL,
	"position" bigint NOT NULL,
	"from_version" integer NOT NULL,
	"to_version" integer,
	"input" jsonb NOT NULL,
	"expected" jsonb,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"source" text DEFAULT 'api' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dataset_items_range" CHECK ("dataset_items"."to_version" is null or "dataset_items"."to_version" > "dataset_items"."from_version"),
	CONSTRAINT "dataset_items_input_object" CHECK (jsonb_typeof("dataset_items"."input") = 'object')
);
--> statement-breakpoint
CREATE TABLE "dataset_versions" (
	"dataset_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"item_count" integer NOT NULL,
	"change" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_by_label" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dataset_versions_dataset_id_version_pk" PRIMARY KEY("dataset_id","version"),
	CONSTRAINT "dataset_versions_version" CHECK ("dataset_versions"."version" >= 1),
	CONSTRAINT "dataset_versions_count" CHECK ("dataset_versions"."item_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"prompt_id" uuid,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"current_version" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "datasets_projectId_name_unique" UNIQUE("project_id","name"),
	CONSTRAINT "datasets_current_version" CHECK ("datasets"."current_version" >= 0)
);
--> statement-breakpoint
CREATE TABLE "eval_run_items" (
	"run_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"repetition" integer NOT NULL,
	"position" bigint NOT NULL,
	"output" text,
	"score" double precision,
	"passed" boolean DEFAULT false NOT NULL,
	"scores" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"latency_ms" integer,
	"input_tokens" integer DEFAULT 0 NOT NULL,
	"output_tokens" integer DEFAULT 0 NOT NULL,
	"cost_usd" double precision,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "eval_run_items_run_id_item_id_repetition_pk" PRIMARY KEY("run_id","item_id","repetition"),
	CONSTRAINT "eval_run_items_score" CHECK ("eval_run_items"."score" is null or ("eval_run_items"."score" >= 0 and "eval_run_items"."score" <= 1)),
	CONSTRAINT "eval_run_items_repetition" CHECK ("eval_run_items"."repetition" >= 0)
);
--> statement-breakpoint
CREATE TABLE "eval_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"prompt_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"dataset_id" uuid NOT NULL,
	"dataset_version" integer NOT NULL,
	"scorers" jsonb NOT NULL,
	"repetitions" integer DEFAULT 1 NOT NULL,
	"concurrency" integer DEFAULT 4 NOT NULL,
	"connection" text,
	"status" "eval_run_status" DEFAULT 'queued' NOT NULL,
	"total" integer NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"score" double precision,
	"pass_rate" double precision,
	"summary" jsonb,
	"cost_usd" double precision DEFAULT 0 NOT NULL,
	"input_tokens" bigint DEFAULT 0 NOT NULL,
	"output_tokens" bigint DEFAULT 0 NOT NULL,
	"error" text,
	"cancel_requested" boolean DEFAULT false NOT NULL,
	"created_by" uuid,
	"created_by_label" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "eval_runs_repetitions" CHECK ("eval_runs"."repetitions" between 1 and 20),
	CONSTRAINT "eval_runs_concurrency" CHECK ("eval_runs"."concurrency" between 1 and 64),
	CONSTRAINT "eval_runs_progress" CHECK ("eval_runs"."done" >= 0 and "eval_runs"."total" >= 0 and "eval_runs"."done" <= "eval_runs"."total"),
	CONSTRAINT "eval_runs_score" CHECK ("eval_runs"."score" is null or ("eval_runs"."score" >= 0 and "eval_runs"."score" <= 1)),
	CONSTRAINT "eval_runs_pass_rate" CHECK ("eval_runs"."pass_rate" is null or ("eval_runs"."pass_rate" >= 0 and "eval_runs"."pass_rate" <= 1)),
	CONSTRAINT "eval_runs_finished" CHECK (("eval_runs"."status" in ('completed', 'failed', 'cancelled')) = ("eval_runs"."finished_at" is not null)),
	CONSTRAINT "eval_runs_completed" CHECK ("eval_runs"."status" <> 'completed' or "eval_runs"."done" = "eval_runs"."total")
);
--> statement-breakpoint
ALTER TABLE "environments" ADD COLUMN "gate_dataset_id" uuid;--> statement-breakpoint
ALTER TABLE "environments" ADD COLUMN "gate_min_score" double precision;--> statement-breakpoint
ALTER TABLE "environments" ADD COLUMN "gate_max_drop" double precision;--> statement-breakpoint
ALTER TABLE "environments" ADD COLUMN "auto_promote_min_score" double precision;--> statement-breakpoint
ALTER TABLE "dataset_items" ADD CONSTRAINT "dataset_items_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_items" ADD CONSTRAINT "dataset_items_dataset_id_from_version_dataset_versions_dataset_id_version_fk" FOREIGN KEY ("dataset_id","from_version") REFERENCES "public"."dataset_versions"("dataset_id","version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_prompt_id_prompts_id_fk" FOREIGN KEY ("prompt_id") REFERENCES "public"."prompts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_run_items" ADD CONSTRAINT "eval_run_items_run_id_eval_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."eval_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_run_items" ADD CONSTRAINT "eval_run_items_item_id_dataset_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."dataset_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_runs" ADD CONSTRAINT "eval_runs_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_runs" ADD CONSTRAINT "eval_runs_prompt_id_prompts_id_fk" FOREIGN KEY ("prompt_id") REFERENCES "public"."prompts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_runs" ADD CONSTRAINT "eval_runs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_runs" ADD CONSTRAINT "eval_runs_prompt_id_version_prompt_versions_prompt_id_version_fk" FOREIGN KEY ("prompt_id","version") REFERENCES "public"."prompt_versions"("prompt_id","version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_runs" ADD CONSTRAINT "eval_runs_dataset_id_dataset_version_dataset_versions_dataset_id_version_fk" FOREIGN KEY ("dataset_id","dataset_version") REFERENCES "public"."dataset_versions"("dataset_id","version") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dataset_items_dataset_id_from_version_position_index" ON "dataset_items" USING btree ("dataset_id","from_version","position");--> statement-breakpoint
CREATE INDEX "eval_run_items_run_id_position_repetition_index" ON "eval_run_items" USING btree ("run_id","position","repetition");--> statement-breakpoint
CREATE INDEX "eval_runs_prompt_id_version_created_at_index" ON "eval_runs" USING btree ("prompt_id","version","created_at");--> statement-breakpoint
CREATE INDEX "eval_runs_dataset_id_dataset_version_status_index" ON "eval_runs" USING btree ("dataset_id","dataset_version","status");--> statement-breakpoint
CREATE INDEX "eval_runs_project_id_created_at_index" ON "eval_runs" USING btree ("project_id","created_at");--> statement-breakpoint
ALTER TABLE "environments" ADD CONSTRAINT "environments_gate_dataset_id_datasets_id_fk" FOREIGN KEY ("gate_dataset_id") REFERENCES "public"."datasets"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "environments" ADD CONSTRAINT "environments_gate_complete" CHECK (("environments"."gate_dataset_id" is null) = ("environments"."gate_min_score" is null) and ("environments"."gate_dataset_id" is null) = ("environments"."gate_max_drop" is null));--> statement-breakpoint
ALTER TABLE "environments" ADD CONSTRAINT "environments_gate_range" CHECK (("environments"."gate_min_score" is null or "environments"."gate_min_score" between 0 and 1) and ("environments"."gate_max_drop" is null or "environments"."gate_max_drop" between 0 and 1));--> statement-breakpoint
ALTER TABLE "environments" ADD CONSTRAINT "environments_auto_promote" CHECK ("environments"."auto_promote_min_score" is null or ("environments"."gate_dataset_id" is not null and "environments"."auto_promote_min_score" between 0 and 1));