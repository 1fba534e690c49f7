CREATE TABLE "experiment_unattributed" (
	"experiment_id" uuid NOT NULL,
	"phase" integer NOT NULL,
	"reason" text NOT NULL,
	"variant_key" text NOT NULL,
	"served_key" text DEFAULT '' NOT NULL,
	"events" bigint NOT NULL,
	CONSTRAINT "experiment_unattributed_pk" PRIMARY KEY("experiment_id","phase","reason","variant_key","served_key"),
	CONSTRAINT "experiment_unattributed_reason" CHECK ("experiment_unattributed"."reason" in ('never_exposed', 'other_arm', 'before_start', 'after_stop')),
	CONSTRAINT "experiment_unattributed_events" CHECK ("experiment_unattributed"."events" > 0)
);
--> statement-breakpoint
ALTER TABLE "experiment_unattributed" ADD CONSTRAINT "experiment_unattributed_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;