-- A deployment of a prompt stops what splits its traffic there (0012). A bundle's guarded rollout (issue 42)
-- splits every member it changes with one seed, so a subject is on the new side of all of them or of none:
-- a person's deployment of one member now stops the whole group, or the other members would go on ramping
-- beside it and subjects would get a mix that no release made. The statement is the same otherwise.
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
      OR (kind = 'rollout' AND rollout->'bundle'->>'group' IN (
        SELECT g.rollout->'bundle'->>'group' FROM experiments g
        WHERE g.prompt_id = NEW.prompt_id AND g.environment_id = NEW.environment_id AND g.status = 'running'
          AND g.kind = 'rollout' AND g.rollout ? 'bundle')));
  RETURN NEW;
END;
$$;
