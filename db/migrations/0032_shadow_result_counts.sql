-- How many shadow answers each candidate has, against each live version, kept by a trigger as answers are
-- stored (issue 39): the shadow comparison's counts read O(candidates × live versions) rows, not every answer.
CREATE TABLE "shadow_result_counts" (
  "rule_id" uuid NOT NULL REFERENCES "online_eval_rules"("id") ON DELETE cascade,
  "candidate_version" integer NOT NULL,
  "live_version" integer NOT NULL,
  "n" bigint NOT NULL DEFAULT 0,
  CONSTRAINT "shadow_result_counts_pkey" PRIMARY KEY ("rule_id", "candidate_version", "live_version")
);
--> statement-breakpoint
-- Answers are stored once and never changed; removed ones (with their sample or rule) are counted out while
-- their rule's row is there.
CREATE OR REPLACE FUNCTION lectern_shadow_results_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO shadow_result_counts AS t (rule_id, candidate_version, live_version, n)
    SELECT rule_id, candidate_version, live_version, count(*) FROM added GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (rule_id, candidate_version, live_version) DO UPDATE SET n = t.n + excluded.n;
  ELSE
    UPDATE shadow_result_counts t SET n = t.n - d.n
    FROM (SELECT rule_id, candidate_version, live_version, count(*) AS n FROM removed GROUP BY 1, 2, 3 ORDER BY 1, 2, 3) d
    WHERE t.rule_id = d.rule_id AND t.candidate_version = d.candidate_version AND t.live_version = d.live_version;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "shadow_results_counted_insert" AFTER INSERT ON "shadow_results"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION lectern_shadow_results_changed();
--> statement-breakpoint
CREATE TRIGGER "shadow_results_counted_delete" AFTER DELETE ON "shadow_results"
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION lectern_shadow_results_changed();
--> statement-breakpoint
INSERT INTO shadow_result_counts (rule_id, candidate_version, live_version, n)
SELECT rule_id, candidate_version, live_version, count(*) FROM shadow_results GROUP BY 1, 2, 3;
