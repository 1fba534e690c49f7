CREATE TABLE "version_labels" (
	"prompt_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"label" text NOT NULL,
	"version" integer NOT NULL,
	"actor_id" uuid,
	"actor_label" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "version_labels_prompt_id_label_pk" PRIMARY KEY("prompt_id","label"),
	CONSTRAINT "version_labels_label_format" CHECK ("version_labels"."label" ~ '^[a-z0-9_.-]{1,36}$' and "version_labels"."label" !~ '^[.]+$' and "version_labels"."label" <> 'latest')
);
--> statement-breakpoint
ALTER TABLE "version_labels" ADD CONSTRAINT "version_labels_prompt_id_prompts_id_fk" FOREIGN KEY ("prompt_id") REFERENCES "public"."prompts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "version_labels" ADD CONSTRAINT "version_labels_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "version_labels" ADD CONSTRAINT "version_labels_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "version_labels" ADD CONSTRAINT "version_labels_prompt_id_version_prompt_versions_prompt_id_version_fk" FOREIGN KEY ("prompt_id","version") REFERENCES "public"."prompt_versions"("prompt_id","version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "version_labels_project_id_label_index" ON "version_labels" USING btree ("project_id","label");--> statement-breakpoint
-- A version label and an environment never share a name within a project, whichever is written first
-- (docs/decisions/version-labels.md); a label never lands on a deleted version, nor on another project's
-- prompt. Both triggers take the project's label lock first, so two transactions cannot each pass the
-- check the other would break (a label set while an environment of its name is created).
CREATE OR REPLACE FUNCTION lectern_version_label_check() RETURNS trigger AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('lectern:labels:' || NEW.project_id::text, 0));
  IF NOT EXISTS (SELECT 1 FROM prompts WHERE id = NEW.prompt_id AND project_id = NEW.project_id) THEN
    RAISE EXCEPTION 'version label "%" names a prompt of another project', NEW.label
      USING ERRCODE = 'check_violation', CONSTRAINT = 'version_labels_same_project';
  END IF;
  IF EXISTS (SELECT 1 FROM environments WHERE project_id = NEW.project_id AND name = NEW.label) THEN
    RAISE EXCEPTION 'version label "%" is the name of an environment of this project', NEW.label
      USING ERRCODE = 'check_violation', CONSTRAINT = 'version_labels_not_environment';
  END IF;
  IF EXISTS (SELECT 1 FROM prompt_version_archives WHERE prompt_id = NEW.prompt_id AND version = NEW.version) THEN
    RAISE EXCEPTION 'version label "%" cannot point at version %, which was deleted', NEW.label, NEW.version
      USING ERRCODE = 'check_violation', CONSTRAINT = 'version_labels_not_archived';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER version_labels_check BEFORE INSERT OR UPDATE ON "version_labels"
  FOR EACH ROW EXECUTE FUNCTION lectern_version_label_check();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION lectern_environment_not_version_label() RETURNS trigger AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('lectern:labels:' || NEW.project_id::text, 0));
  IF EXISTS (SELECT 1 FROM version_labels WHERE project_id = NEW.project_id AND label = NEW.name) THEN
    RAISE EXCEPTION 'environment "%" would share its name with a version label of this project', NEW.name
      USING ERRCODE = 'check_violation', CONSTRAINT = 'environments_not_version_label';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER environments_not_version_label BEFORE INSERT OR UPDATE OF name ON "environments"
  FOR EACH ROW EXECUTE FUNCTION lectern_environment_not_version_label();
