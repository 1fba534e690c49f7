ALTER TABLE "deployments" ADD COLUMN "experiment_effects" jsonb;--> statement-breakpoint
ALTER TABLE "experiment_phases" ADD COLUMN "compositions" jsonb;--> statement-breakpoint
ALTER TABLE "experiment_phases" ADD COLUMN "deployment_id" bigint;--> statement-breakpoint
ALTER TABLE "metric_events" ADD COLUMN "partials" text;--> statement-breakpoint
ALTER TABLE "online_samples" ADD COLUMN "partials" text;--> statement-breakpoint
-- What a release does to experiments running on the prompts that include it (issue 58): the deployment records the
-- person's choice (lib/release/composing.ts) and this trigger applies it in the release's transaction, beside the
-- stop of the prompt's own experiment (0012, 0045). A new phase keeps the current phase's seed and weights (each
-- subject stays in its arm) and records what each arm serves from now on; a stop is recorded as the deployment's.
CREATE FUNCTION lectern_apply_experiment_effects() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  effect jsonb;
  entry jsonb;
  next_phase integer;
BEGIN
  FOR effect IN SELECT * FROM jsonb_array_elements(NEW.experiment_effects) LOOP
    IF effect->>'action' = 'stop' THEN
      UPDATE experiments SET status = 'stopped', stopped_at = clock_timestamp(), decision = jsonb_build_object(
          'stoppedBy', 'deployment',
          'deployment', jsonb_build_object('id', NEW.id, 'version', NEW.version, 'action', NEW.action::text,
            'prompt', (SELECT name FROM prompts WHERE id = NEW.prompt_id)),
          'reason', effect->>'reason')
        WHERE status = 'running' AND environment_id = NEW.environment_id
          AND id IN (SELECT (x->>'id')::uuid FROM jsonb_array_elements(effect->'experiments') x);
    ELSIF effect->>'action' = 'new_phase' THEN
      FOR entry IN SELECT * FROM jsonb_array_elements(effect->'experiments') LOOP
        UPDATE experiments SET phase = phase + 1
          WHERE id = (entry->>'id')::uuid AND status = 'running' AND environment_id = NEW.environment_id
          RETURNING phase INTO next_phase;
        IF FOUND THEN
          INSERT INTO experiment_phases (experiment_id, phase, seed, weights, p_best, reason, compositions, deployment_id, started_at)
            SELECT experiment_id, next_phase, seed, weights, p_best, effect->>'reason', entry->'compositions', NEW.id, clock_timestamp()
            FROM experiment_phases WHERE experiment_id = (entry->>'id')::uuid AND phase = next_phase - 1;
        END IF;
      END LOOP;
    END IF;
  END LOOP;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER deployments_experiment_effects AFTER INSERT ON "deployments"
  FOR EACH ROW WHEN (NEW.experiment_effects IS NOT NULL) EXECUTE FUNCTION lectern_apply_experiment_effects();
