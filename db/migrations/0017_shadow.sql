CREATE TABLE "shadow_results" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"rule_id" uuid NOT NULL,
	"sample_id" bigint NOT NULL,
	"candidate_version" integer NOT NULL,
	"live_version" integer NOT NULL,
	"status" text NOT NULL,
	"output" text DEFAULT '' NOT NULL,
	"error" text,
	"score" double precision,
	"scores" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"preference" jsonb,
	"latency_ms" integer,
	"cost_usd" double precision,
	"live_latency_ms" double precision,
	"live_cost_usd" double precision,
	"calls" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shadow_results_sampleId_candidateVersion_unique" UNIQUE("sample_id","candidate_version"),
	CONSTRAINT "shadow_results_status" CHECK ("shadow_results"."status" in ('done', 'failed')),
	CONSTRAINT "shadow_results_score" CHECK ("shadow_results"."score" is null or ("shadow_results"."score" >= 0 and "shadow_results"."score" <= 1)),
	CONSTRAINT "shadow_results_other_version" CHECK ("shadow_results"."candidate_version" <> "shadow_results"."live_version")
);
--> statement-breakpoint
ALTER TABLE "online_eval_rules" ADD COLUMN "shadow" jsonb;--> statement-breakpoint
ALTER TABLE "shadow_results" ADD CONSTRAINT "shadow_results_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shadow_results" ADD CONSTRAINT "shadow_results_rule_id_online_eval_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."online_eval_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shadow_results" ADD CONSTRAINT "shadow_results_sample_id_online_samples_id_fk" FOREIGN KEY ("sample_id") REFERENCES "public"."online_samples"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "shadow_results_rule_id_candidate_version_id_index" ON "shadow_results" USING btree ("rule_id","candidate_version","id");--> statement-breakpoint
CREATE INDEX "shadow_results_rule_id_created_at_index" ON "shadow_results" USING btree ("rule_id","created_at");