ALTER TABLE "environments" DROP CONSTRAINT "environments_gate_complete";--> statement-breakpoint
ALTER TABLE "alerts" DROP CONSTRAINT "alerts_kind";--> statement-breakpoint
ALTER TABLE "environments" ADD COLUMN "gate_dataset_version" integer;--> statement-breakpoint
ALTER TABLE "environments" ADD COLUMN "gate_scorers" jsonb;--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD COLUMN "fingerprint" text;--> statement-breakpoint
ALTER TABLE "eval_runs" ADD COLUMN "environment" text;--> statement-breakpoint
-- The canonical content hash of a dataset version: its items' keys, inputs and expected answers, in key
-- order. One definition, in the database, used by lib/evaluation/datasets for every new version.
CREATE FUNCTION dataset_fingerprint(ds uuid, v integer) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT encode(sha256(convert_to(coalesce(string_agg(
           i.key::text || E'\t' || i.input::text || E'\t' || coalesce(i.expected::text, 'null'),
           E'\n' ORDER BY i.key), ''), 'UTF8')), 'hex')
  FROM dataset_items i
  WHERE i.dataset_id = ds AND i.from_version <= v AND (i.to_version IS NULL OR i.to_version > v)
$$;--> statement-breakpoint
UPDATE "dataset_versions" SET "fingerprint" = dataset_fingerprint("dataset_id", "version");--> statement-breakpoint
-- Gates made before 0012 had no scorers of their own: they take those of the newest completed run on
-- their dataset (what the team has been gating with), else the default scorer of a run that names none.
UPDATE "environments" e SET "gate_scorers" = coalesce(
  (SELECT r.scorers FROM eval_runs r WHERE r.dataset_id = e.gate_dataset_id AND r.status = 'completed'
   ORDER BY r.finished_at DESC LIMIT 1),
  '[{"type":"length","name":"non_empty","weight":1,"min":1,"unit":"chars","threshold":1}]'::jsonb)
WHERE e.gate_dataset_id IS NOT NULL;--> statement-breakpoint
ALTER TABLE "environments" ADD CONSTRAINT "environments_gate_complete" CHECK (("environments"."gate_dataset_id" is null) = ("environments"."gate_min_score" is null) and ("environments"."gate_dataset_id" is null) = ("environments"."gate_max_drop" is null) and ("environments"."gate_dataset_id" is null) = ("environments"."gate_scorers" is null) and ("environments"."gate_dataset_id" is not null or "environments"."gate_dataset_version" is null));--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_kind" CHECK ("alerts"."kind" in ('regression', 'auto_rollback', 'rollback_withheld', 'experiment_regression'));--> statement-breakpoint
-- Experiments follow the release log: a deployment of a prompt in an environment (a promotion, a
-- rollback, by a person or a job, through any code path) stops the experiment running on that prompt
-- there, in the same transaction, and names the deployment as the reason. The arms were defined
-- against what the environment served; from this commit on, every subject gets what the log says.
-- (Shipping a variant stops its own experiment first, so this finds nothing to stop.)
CREATE FUNCTION lectern_stop_experiments_on_deploy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE experiments SET status = 'stopped', stopped_at = clock_timestamp(), decision = jsonb_build_object(
      'stoppedBy', 'deployment',
      'deployment', jsonb_build_object('id', NEW.id, 'version', NEW.version, 'action', NEW.action::text),
      'reason', format('Stopped: %s now serves version %s (%s by %s, deployment %s).',
        (SELECT name FROM environments WHERE id = NEW.environment_id), NEW.version,
        replace(NEW.action::text, '_', ' '), coalesce(nullif(NEW.actor_label, ''), 'someone'), NEW.id))
    WHERE prompt_id = NEW.prompt_id AND environment_id = NEW.environment_id AND status = 'running';
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER deployments_stop_experiments AFTER INSERT ON "deployments"
  FOR EACH ROW EXECUTE FUNCTION lectern_stop_experiments_on_deploy();
