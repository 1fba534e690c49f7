CREATE TABLE "annotations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"sample_id" bigint NOT NULL,
	"scale" text NOT NULL,
	"value" integer NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"labeller" text NOT NULL,
	"user_id" uuid,
	"labeller_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "annotations_sampleId_labeller_unique" UNIQUE("sample_id","labeller"),
	CONSTRAINT "annotations_value" CHECK (("annotations"."scale" = 'pass_fail' and "annotations"."value" in (0, 1)) or ("annotations"."scale" = 'scale_5' and "annotations"."value" between 1 and 5)),
	CONSTRAINT "annotations_comment" CHECK (length("annotations"."comment") <= 2000)
);
--> statement-breakpoint
ALTER TABLE "annotations" ADD CONSTRAINT "annotations_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "annotations" ADD CONSTRAINT "annotations_sample_id_online_samples_id_fk" FOREIGN KEY ("sample_id") REFERENCES "public"."online_samples"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "annotations" ADD CONSTRAINT "annotations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "annotations_project_id_sample_id_index" ON "annotations" USING btree ("project_id","sample_id");