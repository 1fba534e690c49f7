CREATE TABLE "imported_versions" (
	"project_id" uuid NOT NULL,
	"prompt_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"system" text NOT NULL,
	"source" text NOT NULL,
	"source_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "imported_versions_prompt_id_version_pk" PRIMARY KEY("prompt_id","version"),
	CONSTRAINT "imported_versions_source" UNIQUE("prompt_id","system","source","source_id")
);
--> statement-breakpoint
ALTER TABLE "imported_versions" ADD CONSTRAINT "imported_versions_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imported_versions" ADD CONSTRAINT "imported_versions_prompt_id_version_prompt_versions_prompt_id_version_fk" FOREIGN KEY ("prompt_id","version") REFERENCES "public"."prompt_versions"("prompt_id","version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- The link from a version to its id in the source is a fact about the past, like the version: insert-only.
CREATE TRIGGER imported_versions_insert_only BEFORE UPDATE OR DELETE ON "imported_versions"
  FOR EACH ROW EXECUTE FUNCTION lectern_reject_change();
