CREATE TABLE "prompt_version_archives" (
	"prompt_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"archived_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"actor_id" uuid,
	"actor_label" text DEFAULT '' NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	CONSTRAINT "prompt_version_archives_prompt_id_version_pk" PRIMARY KEY("prompt_id","version")
);
--> statement-breakpoint
CREATE TABLE "label_environments" (
	"environment_id" uuid PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "prompt_version_archives" ADD CONSTRAINT "prompt_version_archives_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prompt_version_archives" ADD CONSTRAINT "prompt_version_archives_prompt_id_version_prompt_versions_prompt_id_version_fk" FOREIGN KEY ("prompt_id","version") REFERENCES "public"."prompt_versions"("prompt_id","version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_environments" ADD CONSTRAINT "label_environments_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "label_environments" ADD CONSTRAINT "label_environments_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- An archive is a fact about the past, like a version: insert-only.
CREATE TRIGGER prompt_version_archives_insert_only BEFORE UPDATE OR DELETE ON "prompt_version_archives"
  FOR EACH ROW EXECUTE FUNCTION lectern_reject_change();
--> statement-breakpoint
-- Prompt names follow Langfuse's rule (lib/registry/name-rules.ts): capitals, dots, spaces, brackets and
-- any Unicode; not '|', HTML tags, Langfuse's reserved page names, stray slashes, control characters,
-- '.' or '..' as a segment, or a space at either end. The application checks first (and a little more:
-- Unicode whitespace at the ends); this makes a bad row impossible.
ALTER TABLE "prompts" DROP CONSTRAINT "prompts_name_format";
--> statement-breakpoint
ALTER TABLE "prompts" ADD CONSTRAINT "prompts_name_format" CHECK (
  char_length(name) BETWEEN 1 AND 255
  AND name !~ '(^/|/$|//)'
  AND strpos(name, '|') = 0
  AND name !~ '<[^<>]*>'
  AND name !~ '[\x01-\x1f\x7f-\x9f]'
  AND name !~ '^ | $'
  AND name NOT IN ('new', 'metrics', 'prompt-detail')
  AND name !~ '(^|/)\.\.?(/|$)'
);
