-- A shadow candidate may be a version rendered with other versions of the partials it includes (issue 42): a
-- partial's candidate inside a prompt that includes it, so that prompt's shadow rule can be met for the
-- composed result before the partial is released. Such a candidate may be the live version itself, so the
-- check that a candidate differs from the live version now allows the same version with partials. An answer
-- is one per sample and candidate (version and partials); the counts (migration 0032) are kept per
-- candidate the same way. Answers already stored are plain candidates ('{}') and keep their counts.
ALTER TABLE "shadow_results" ADD COLUMN "candidate_partials" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "shadow_results" DROP CONSTRAINT "shadow_results_sampleId_candidateVersion_unique";--> statement-breakpoint
ALTER TABLE "shadow_results" ADD CONSTRAINT "shadow_results_sample_candidate_unique" UNIQUE("sample_id","candidate_version","candidate_partials");--> statement-breakpoint
ALTER TABLE "shadow_results" DROP CONSTRAINT "shadow_results_other_version";--> statement-breakpoint
ALTER TABLE "shadow_results" ADD CONSTRAINT "shadow_results_other_version" CHECK ("shadow_results"."candidate_version" <> "shadow_results"."live_version" or "shadow_results"."candidate_partials" <> '{}'::jsonb);--> statement-breakpoint
ALTER TABLE "shadow_results" ADD CONSTRAINT "shadow_results_partials" CHECK (jsonb_typeof("shadow_results"."candidate_partials") = 'object');--> statement-breakpoint
ALTER TABLE "shadow_result_counts" ADD COLUMN "candidate_partials" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
-- 0032 wrote the key by hand under PostgreSQL's default name, which the schema now names too.
ALTER TABLE "shadow_result_counts" DROP CONSTRAINT "shadow_result_counts_pkey";--> statement-breakpoint
ALTER TABLE "shadow_result_counts" ADD CONSTRAINT "shadow_result_counts_pkey" PRIMARY KEY("rule_id","candidate_version","candidate_partials","live_version");--> statement-breakpoint
CREATE OR REPLACE FUNCTION lectern_shadow_results_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO shadow_result_counts AS t (rule_id, candidate_version, candidate_partials, live_version, n)
    SELECT rule_id, candidate_version, candidate_partials, live_version, count(*) FROM added
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (rule_id, candidate_version, candidate_partials, live_version) DO UPDATE SET n = t.n + excluded.n;
  ELSE
    UPDATE shadow_result_counts t SET n = t.n - d.n
    FROM (SELECT rule_id, candidate_version, candidate_partials, live_version, count(*) AS n FROM removed
          GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4) d
    WHERE t.rule_id = d.rule_id AND t.candidate_version = d.candidate_version
      AND t.candidate_partials = d.candidate_partials AND t.live_version = d.live_version;
  END IF;
  RETURN NULL;
END $$;
