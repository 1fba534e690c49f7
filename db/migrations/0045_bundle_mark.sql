-- Bundles' experiments and guarded rollouts (issue 42). `bundle` marks the experiments of one group: one per
-- member a bundle's arms change, all with one seed and one share, so a subject gets every member's version of
-- one arm; they start, move and end together. The index finds a group's members. A deployment of a prompt
-- stops what splits its traffic there (0012): a person's deployment of one member now stops its whole group,
-- or the other members would go on splitting beside it and subjects would get a mix no release made.
ALTER TABLE "experiments" ADD COLUMN "bundle" jsonb;--> statement-breakpoint
CREATE INDEX "experiments_bundle_group_idx" ON "experiments" USING btree (("bundle"->>'group'));--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_bundle_mark" CHECK ("experiments"."bundle" is null or (jsonb_typeof("experiments"."bundle"->'name') = 'string' and jsonb_typeof("experiments"."bundle"->'group') = 'string'));--> statement-breakpoint
CREATE OR REPLACE FUNCTION lectern_stop_experiments_on_deploy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE experiments SET status = 'stopped', stopped_at = clock_timestamp(), decision = jsonb_build_object(
      'stoppedBy', 'deployment',
      'deployment', jsonb_build_object('id', NEW.id, 'version', NEW.version, 'action', NEW.action::text),
      'reason', format('Stopped: %s now serves version %s (%s by %s, deployment %s).',
        (SELECT name FROM environments WHERE id = NEW.environment_id), NEW.version,
        replace(NEW.action::text, '_', ' '), coalesce(nullif(NEW.actor_label, ''), 'someone'), NEW.id))
    WHERE status = 'running' AND (
      (prompt_id = NEW.prompt_id AND environment_id = NEW.environment_id)
      OR (bundle->>'group' IN (
        SELECT g.bundle->>'group' FROM experiments g
        WHERE g.prompt_id = NEW.prompt_id AND g.environment_id = NEW.environment_id AND g.status = 'running'
          AND g.bundle IS NOT NULL)));
  RETURN NEW;
END;
$$;
