ALTER TYPE "public"."api_key_scope" ADD VALUE 'skills';--> statement-breakpoint
ALTER TABLE "prompts" ADD COLUMN "skill_name" text;--> statement-breakpoint
CREATE UNIQUE INDEX "prompts_project_skill_name" ON "prompts" USING btree ("project_id","skill_name");--> statement-breakpoint
-- Hand-written (below): what makes skills prompts like the others.
--
-- A skill's folder name: the last segment of its prompt's name, set when its first version is written, on every
-- path that writes versions (the API, snapshot import). The unique index above then keeps two skills of one
-- project from sharing a folder name (agents install skills by it; lib/registry/skills/skill-files.ts).
CREATE OR REPLACE FUNCTION lectern_skill_names() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE prompts p SET skill_name = regexp_replace(p.name, '^.*/', '')
  FROM (SELECT DISTINCT prompt_id FROM added WHERE content->>'type' = 'skill') n
  WHERE p.id = n.prompt_id AND p.skill_name IS NULL;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER prompt_versions_skill_names AFTER INSERT ON "prompt_versions"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION lectern_skill_names();
--> statement-breakpoint
-- A prompt that includes a skill includes its SKILL.md body (lib/registry/templates/partials.ts partialText), whose
-- references are partials too: index them from the whole SKILL.md. A reference written in the frontmatter is
-- indexed as well, which only widens the candidates lib/release/dependents.ts checks against the real graph.
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
        UNION ALL
        SELECT p_content->'files'->>'SKILL.md' WHERE p_content->>'type' = 'skill'
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
