CREATE TYPE "public"."experiment_mode" AS ENUM('fixed', 'sequential', 'bandit');--> statement-breakpoint
CREATE TYPE "public"."experiment_status" AS ENUM('draft', 'running', 'stopped');--> statement-breakpoint
CREATE TABLE "experiment_arm_exposures" (
	"experiment_id" uuid NOT NULL,
	"phase" integer NOT NULL,
	"variant_key" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"subjects" bigint NOT NULL,
	CONSTRAINT "experiment_arm_exposures_experiment_id_phase_variant_key_bucket_pk" PRIMARY KEY("experiment_id","phase","variant_key","bucket")
);
--> statement-breakpoint
CREATE TABLE "experiment_arm_stats" (
	"experiment_id" uuid NOT NULL,
	"phase" integer NOT NULL,
	"variant_key" text NOT NULL,
	"metric" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"n" bigint NOT NULL,
	"sum" double precision NOT NULL,
	"sum_sq" double precision NOT NULL,
	CONSTRAINT "experiment_arm_stats_experiment_id_phase_variant_key_metric_bucket_pk" PRIMARY KEY("experiment_id","phase","variant_key","metric","bucket")
);
--> statement-breakpoint
CREATE TABLE "experiment_assignments" (
	"experiment_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"variant_key" text NOT NULL,
	"phase" integer NOT NULL,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "experiment_assignments_experiment_id_subject_pk" PRIMARY KEY("experiment_id","subject")
);
--> statement-breakpoint
CREATE TABLE "experiment_exposures" (
	"experiment_id" uuid NOT NULL,
	"phase" integer NOT NULL,
	"subject" text NOT NULL,
	"variant_key" text NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	CONSTRAINT "experiment_exposures_experiment_id_phase_subject_pk" PRIMARY KEY("experiment_id","phase","subject")
);
--> statement-breakpoint
CREATE TABLE "experiment_phases" (
	"experiment_id" uuid NOT NULL,
	"phase" integer NOT NULL,
	"seed" text NOT NULL,
	"weights" jsonb NOT NULL,
	"p_best" jsonb,
	"reason" text DEFAULT '' NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "experiment_phases_experiment_id_phase_pk" PRIMARY KEY("experiment_id","phase")
);
--> statement-breakpoint
CREATE TABLE "experiment_subject_stats" (
	"experiment_id" uuid NOT NULL,
	"phase" integer NOT NULL,
	"variant_key" text NOT NULL,
	"metric" text NOT NULL,
	"subject" text NOT NULL,
	"count" bigint NOT NULL,
	"sum" double precision NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	CONSTRAINT "experiment_subject_stats_experiment_id_phase_variant_key_metric_subject_pk" PRIMARY KEY("experiment_id","phase","variant_key","metric","subject")
);
--> statement-breakpoint
CREATE TABLE "experiment_variants" (
	"experiment_id" uuid NOT NULL,
	"key" text NOT NULL,
	"version" integer NOT NULL,
	"position" integer NOT NULL,
	"weight" double precision NOT NULL,
	CONSTRAINT "experiment_variants_experiment_id_key_pk" PRIMARY KEY("experiment_id","key"),
	CONSTRAINT "experiment_variants_experimentId_version_unique" UNIQUE("experiment_id","version")
);
--> statement-breakpoint
CREATE TABLE "experiments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"prompt_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"name" text NOT NULL,
	"hypothesis" text DEFAULT '' NOT NULL,
	"status" "experiment_status" DEFAULT 'draft' NOT NULL,
	"mode" "experiment_mode" NOT NULL,
	"bandit" jsonb,
	"coverage" double precision DEFAULT 1 NOT NULL,
	"primary_metric" jsonb NOT NULL,
	"guardrails" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"alpha" double precision DEFAULT 0.05 NOT NULL,
	"power" double precision DEFAULT 0.8 NOT NULL,
	"min_detectable_effect" double precision,
	"baseline" jsonb,
	"planned_sample_per_arm" integer,
	"seed" text NOT NULL,
	"phase" integer DEFAULT 0 NOT NULL,
	"decision" jsonb,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"stopped_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "metric_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"event_id" text NOT NULL,
	"type" text NOT NULL,
	"prompt_id" uuid,
	"version" integer,
	"environment" text,
	"experiment_id" uuid,
	"phase" integer,
	"variant_key" text,
	"subject" text,
	"at" timestamp with time zone NOT NULL,
	"data" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "metric_events_projectId_eventId_unique" UNIQUE("project_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "version_metric_stats" (
	"prompt_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"environment" text NOT NULL,
	"metric" text NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"n" bigint NOT NULL,
	"sum" double precision NOT NULL,
	"sum_sq" double precision NOT NULL,
	CONSTRAINT "version_metric_stats_prompt_id_version_environment_metric_bucket_pk" PRIMARY KEY("prompt_id","version","environment","metric","bucket")
);
--> statement-breakpoint
ALTER TABLE "experiment_arm_exposures" ADD CONSTRAINT "experiment_arm_exposures_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_arm_stats" ADD CONSTRAINT "experiment_arm_stats_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_assignments" ADD CONSTRAINT "experiment_assignments_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_exposures" ADD CONSTRAINT "experiment_exposures_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_phases" ADD CONSTRAINT "experiment_phases_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_subject_stats" ADD CONSTRAINT "experiment_subject_stats_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_variants" ADD CONSTRAINT "experiment_variants_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_prompt_id_prompts_id_fk" FOREIGN KEY ("prompt_id") REFERENCES "public"."prompts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_events" ADD CONSTRAINT "metric_events_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_events" ADD CONSTRAINT "metric_events_prompt_id_prompts_id_fk" FOREIGN KEY ("prompt_id") REFERENCES "public"."prompts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_events" ADD CONSTRAINT "metric_events_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "version_metric_stats" ADD CONSTRAINT "version_metric_stats_prompt_id_prompts_id_fk" FOREIGN KEY ("prompt_id") REFERENCES "public"."prompts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "experiments_project_id_created_at_index" ON "experiments" USING btree ("project_id","created_at");--> statement-breakpoint
CREATE INDEX "experiments_prompt_id_environment_id_status_index" ON "experiments" USING btree ("prompt_id","environment_id","status");--> statement-breakpoint
CREATE INDEX "metric_events_received_at_index" ON "metric_events" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "metric_events_prompt_id_version_at_index" ON "metric_events" USING btree ("prompt_id","version","at");--> statement-breakpoint
-- At most one running experiment per prompt and environment.
CREATE UNIQUE INDEX "experiments_one_running" ON "experiments" ("prompt_id", "environment_id") WHERE status = 'running';
--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_coverage_range" CHECK (coverage >= 0 AND coverage <= 1);
--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_alpha_range" CHECK (alpha > 0 AND alpha < 1 AND power > 0 AND power < 1);
--> statement-breakpoint
ALTER TABLE "experiment_variants" ADD CONSTRAINT "experiment_variants_weight_range" CHECK (weight >= 0 AND weight <= 1);
--> statement-breakpoint
CREATE INDEX "metric_events_project_received" ON "metric_events" ("project_id", "received_at");
