CREATE TABLE "experiment_decisions" (
	"experiment_id" uuid PRIMARY KEY NOT NULL,
	"phase" integer NOT NULL,
	"winner" text,
	"verdict" text NOT NULL,
	"srm_ok" boolean NOT NULL,
	"subjects" integer NOT NULL,
	"smallest_arm" integer NOT NULL,
	"planned_per_arm" integer,
	"comparisons" jsonb NOT NULL,
	"computed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "experiment_decisions" ADD CONSTRAINT "experiment_decisions_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;