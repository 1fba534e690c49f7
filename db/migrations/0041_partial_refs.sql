-- The partials each version includes, as rows (issue 42): "who includes tone" (lib/release/dependents.ts) reads
-- an index instead of the text of every version of every prompt. A trigger on prompt_versions writes them from
-- the content in the statement that inserts the version, so every path that saves one (the API, draft merges,
-- importers, snapshots, the seed, a raw INSERT) keeps the index exact; the versions already there are filled
-- below by the same function.
CREATE TABLE "prompt_version_partial_refs" (
	"project_id" uuid NOT NULL,
	"prompt_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"ref" text NOT NULL,
	"ref_name" text NOT NULL,
	CONSTRAINT "prompt_version_partial_refs_prompt_id_version_ref_pk" PRIMARY KEY("prompt_id","version","ref")
);
--> statement-breakpoint
ALTER TABLE "prompt_version_partial_refs" ADD CONSTRAINT "prompt_version_partial_refs_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prompt_version_partial_refs" ADD CONSTRAINT "prompt_version_partial_refs_prompt_id_version_prompt_versions_prompt_id_version_fk" FOREIGN KEY ("prompt_id","version") REFERENCES "public"."prompt_versions"("prompt_id","version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "prompt_version_partial_refs_project_id_ref_name_prompt_id_index" ON "prompt_version_partial_refs" USING btree ("project_id","ref_name","prompt_id");
--> statement-breakpoint
-- The partial references of a content, as lib/registry/templates/partials.ts collectPartials finds them with mustache.js's
-- tokenizer (4.2): each text (a text prompt's template, each chat message's content; placeholders have none) is
-- read tag by tag from left to right, a tag being "{{", JavaScript's whitespace (\s), then one of
--   { … up to the first "}}}"  (an unescaped variable),
--   > … up to the first "}}"   (a partial: what is between, trimmed of that whitespace, is the reference),
--   anything else up to the first "}}" (a variable, section, comment…),
-- so text inside another tag ("{{! {{> x}} }}", "{{{> x}}}") is not a reference, exactly as when rendering. The
-- pattern matches whole tags and the partials are picked out after (a capture group would double its cost).
-- lib/registry/templates/partial-refs-sql.int.test.ts holds this to collectPartials over a table of contents and
-- thousands of generated templates. Malformed templates (which no save accepts) may differ, and a reference
-- longer than 300 characters is left out: it names no prompt (a name has at most 255, a pin at most 43) and
-- might not fit an index entry.
CREATE OR REPLACE FUNCTION lectern_partial_refs(p_content jsonb) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT DISTINCT ref FROM (
    SELECT btrim(substr(tag, 2), U&'\0009\000A\000B\000C\000D\0020\00A0\1680\2000\2001\2002\2003\2004\2005\2006\2007\2008\2009\200A\2028\2029\202F\205F\3000\FEFF') AS ref
    FROM (
      SELECT ltrim(substr(m[1], 3, char_length(m[1]) - 4), U&'\0009\000A\000B\000C\000D\0020\00A0\1680\2000\2001\2002\2003\2004\2005\2006\2007\2008\2009\200A\2028\2029\202F\205F\3000\FEFF') AS tag
      FROM (
        SELECT p_content->>'template' AS t WHERE p_content->>'type' = 'text'
        UNION ALL
        SELECT e->>'content' FROM jsonb_array_elements(CASE WHEN p_content->>'type' = 'chat'
          AND jsonb_typeof(p_content->'template') = 'array' THEN p_content->'template' ELSE '[]' END) e
        WHERE e->>'type' IS DISTINCT FROM 'placeholder'
      ) piece
      CROSS JOIN LATERAL regexp_matches(piece.t,
        '\{\{[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*(?:\{(?:[^}]|\}\}?[^}])*\}\}\}|>(?:[^}]|\}[^}])*\}\}|(?:[^>{}\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]|\}[^}])(?:[^}]|\}[^}])*\}\}|\}\})',
        'g') m
      WHERE strpos(piece.t, '{{') > 0
    ) tags
    WHERE left(tag, 1) = '>'
  ) found
  WHERE char_length(ref) <= 300
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION lectern_index_partial_refs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO prompt_version_partial_refs (project_id, prompt_id, version, ref, ref_name)
  SELECT p.project_id, n.prompt_id, n.version, r.ref, split_part(r.ref, '|', 1)
  FROM added n JOIN prompts p ON p.id = n.prompt_id CROSS JOIN LATERAL lectern_partial_refs(n.content) r(ref);
  RETURN NULL;
END $$;
--> statement-breakpoint
-- One statement-level trigger per INSERT: an importer's 200-row statement indexes its rows in one more statement.
CREATE TRIGGER prompt_versions_partial_refs AFTER INSERT ON "prompt_versions"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION lectern_index_partial_refs();
--> statement-breakpoint
-- Derived from insert-only rows: changed only with them (never, today).
CREATE TRIGGER prompt_version_partial_refs_insert_only BEFORE UPDATE OR DELETE ON "prompt_version_partial_refs"
  FOR EACH ROW EXECUTE FUNCTION lectern_reject_change();
--> statement-breakpoint
CREATE TRIGGER prompt_version_partial_refs_no_truncate BEFORE TRUNCATE ON "prompt_version_partial_refs"
  FOR EACH STATEMENT EXECUTE FUNCTION lectern_reject_change();
--> statement-breakpoint
-- What is there already. Creating the trigger above made any INSERT into prompt_versions wait for this
-- migration's transaction, so no version is missed or indexed twice.
INSERT INTO prompt_version_partial_refs (project_id, prompt_id, version, ref, ref_name)
SELECT p.project_id, v.prompt_id, v.version, r.ref, split_part(r.ref, '|', 1)
FROM prompt_versions v JOIN prompts p ON p.id = v.prompt_id CROSS JOIN LATERAL lectern_partial_refs(v.content) r(ref);
