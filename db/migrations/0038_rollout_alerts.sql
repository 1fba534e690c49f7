-- Guarded rollouts (issue 43): a rollout rolled back by its guardrails raises an alert of its own kind.
ALTER TABLE "alerts" DROP CONSTRAINT "alerts_kind";--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_kind" CHECK ("alerts"."kind" in ('regression', 'auto_rollback', 'rollback_withheld', 'experiment_regression', 'rollout_regression'));