CREATE TYPE "public"."alert_severity" AS ENUM('info', 'warning', 'critical');--> statement-breakpoint
CREATE TYPE "public"."online_sample_status" AS ENUM('pending', 'scored', 'failed');--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"prompt_id" uuid,
	"environment_id" uuid,
	"rule_id" uuid,
	"kind" text NOT NULL,
	"version" integer,
	"severity" "alert_severity" NOT NULL,
	"message" text NOT NULL,
	"details" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" uuid,
	CONSTRAINT "alerts_kind" CHECK ("alerts"."kind" in ('regression', 'auto_rollback', 'rollback_withheld'))
);
--> statement-breakpoint
CREATE TABLE "auto_rollbacks" (
	"prompt_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"to_version" integer NOT NULL,
	"deployment_id" bigint NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "auto_rollbacks_prompt_id_environment_id_version_pk" PRIMARY KEY("prompt_id","environment_id","version"),
	CONSTRAINT "auto_rollbacks_other_version" CHECK ("auto_rollbacks"."version" <> "auto_rollbacks"."to_version")
);
--> statement-breakpoint
CREATE TABLE "online_eval_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"prompt_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"sample_rate" double precision NOT NULL,
	"scorers" jsonb NOT NULL,
	"signals" text[] NOT NULL,
	"window" integer NOT NULL,
	"min_samples" integer NOT NULL,
	"alpha" double precision NOT NULL,
	"alert" jsonb,
	"rollback" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_checked_at" timestamp with time zone,
	"last_decision" jsonb,
	CONSTRAINT "online_eval_rules_promptId_environmentId_unique" UNIQUE("prompt_id","environment_id"),
	CONSTRAINT "online_eval_rules_sample_rate" CHECK ("online_eval_rules"."sample_rate" >= 0 and "online_eval_rules"."sample_rate" <= 1),
	CONSTRAINT "online_eval_rules_alpha" CHECK ("online_eval_rules"."alpha" > 0 and "online_eval_rules"."alpha" < 1),
	CONSTRAINT "online_eval_rules_samples" CHECK ("online_eval_rules"."min_samples" >= 2 and "online_eval_rules"."min_samples" <= "online_eval_rules"."window")
);
--> statement-breakpoint
CREATE TABLE "online_samples" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"rule_id" uuid NOT NULL,
	"event_id" text NOT NULL,
	"prompt_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"environment" text NOT NULL,
	"subject" text,
	"input" jsonb,
	"output" text NOT NULL,
	"status" "online_sample_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"score" double precision,
	"error" text,
	"at" timestamp with time zone NOT NULL,
	"scored_at" timestamp with time zone,
	CONSTRAINT "online_samples_ruleId_eventId_unique" UNIQUE("rule_id","event_id"),
	CONSTRAINT "online_samples_score" CHECK ("online_samples"."score" is null or ("online_samples"."score" >= 0 and "online_samples"."score" <= 1)),
	CONSTRAINT "online_samples_scored" CHECK (("online_samples"."status" = 'scored') = ("online_samples"."score" is not null))
);
--> statement-breakpoint
CREATE TABLE "online_scores" (
	"sample_id" bigint NOT NULL,
	"scorer" text NOT NULL,
	"score" double precision,
	"passed" boolean,
	"reason" text DEFAULT '' NOT NULL,
	CONSTRAINT "online_scores_sample_id_scorer_pk" PRIMARY KEY("sample_id","scorer"),
	CONSTRAINT "online_scores_score" CHECK ("online_scores"."score" is null or ("online_scores"."score" >= 0 and "online_scores"."score" <= 1))
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_prompt_id_prompts_id_fk" FOREIGN KEY ("prompt_id") REFERENCES "public"."prompts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_rule_id_online_eval_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."online_eval_rules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auto_rollbacks" ADD CONSTRAINT "auto_rollbacks_prompt_id_prompts_id_fk" FOREIGN KEY ("prompt_id") REFERENCES "public"."prompts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auto_rollbacks" ADD CONSTRAINT "auto_rollbacks_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "online_eval_rules" ADD CONSTRAINT "online_eval_rules_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "online_eval_rules" ADD CONSTRAINT "online_eval_rules_prompt_id_prompts_id_fk" FOREIGN KEY ("prompt_id") REFERENCES "public"."prompts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "online_eval_rules" ADD CONSTRAINT "online_eval_rules_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "online_eval_rules" ADD CONSTRAINT "online_eval_rules_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "online_samples" ADD CONSTRAINT "online_samples_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "online_samples" ADD CONSTRAINT "online_samples_rule_id_online_eval_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."online_eval_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "online_samples" ADD CONSTRAINT "online_samples_prompt_id_prompts_id_fk" FOREIGN KEY ("prompt_id") REFERENCES "public"."prompts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "online_scores" ADD CONSTRAINT "online_scores_sample_id_online_samples_id_fk" FOREIGN KEY ("sample_id") REFERENCES "public"."online_samples"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alerts_project_id_created_at_index" ON "alerts" USING btree ("project_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_one_open" ON "alerts" USING btree ("rule_id","kind","version") WHERE "alerts"."acknowledged_at" is null;--> statement-breakpoint
CREATE INDEX "auto_rollbacks_prompt_id_environment_id_created_at_index" ON "auto_rollbacks" USING btree ("prompt_id","environment_id","created_at");--> statement-breakpoint
CREATE INDEX "online_samples_status_id_index" ON "online_samples" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "online_samples_rule_id_version_at_index" ON "online_samples" USING btree ("rule_id","version","at");