-- Agent bundles (issue 42): a named set of prompts released as one; each release names every member's version
-- and what each served before (what undoing it returns to).
CREATE TABLE "bundle_members" (
	"bundle_id" uuid NOT NULL,
	"prompt_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "bundle_members_bundle_id_prompt_id_pk" PRIMARY KEY("bundle_id","prompt_id")
);
--> statement-breakpoint
CREATE TABLE "bundle_releases" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"bundle_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"versions" jsonb NOT NULL,
	"previous" jsonb NOT NULL,
	"action" text NOT NULL,
	"actor_id" uuid,
	"actor_label" text DEFAULT '' NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "bundle_releases_action" CHECK ("bundle_releases"."action" in ('release', 'rollback'))
);
--> statement-breakpoint
CREATE TABLE "bundles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_by_label" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bundles_projectId_name_unique" UNIQUE("project_id","name"),
	CONSTRAINT "bundles_name" CHECK (length("bundles"."name") between 1 and 100)
);
--> statement-breakpoint
ALTER TABLE "bundle_members" ADD CONSTRAINT "bundle_members_bundle_id_bundles_id_fk" FOREIGN KEY ("bundle_id") REFERENCES "public"."bundles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bundle_members" ADD CONSTRAINT "bundle_members_prompt_id_prompts_id_fk" FOREIGN KEY ("prompt_id") REFERENCES "public"."prompts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bundle_releases" ADD CONSTRAINT "bundle_releases_bundle_id_bundles_id_fk" FOREIGN KEY ("bundle_id") REFERENCES "public"."bundles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bundle_releases" ADD CONSTRAINT "bundle_releases_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bundle_releases" ADD CONSTRAINT "bundle_releases_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bundles" ADD CONSTRAINT "bundles_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bundle_releases_bundle_id_environment_id_id_index" ON "bundle_releases" USING btree ("bundle_id","environment_id","id");