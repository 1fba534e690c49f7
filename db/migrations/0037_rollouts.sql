-- Guarded rollouts (issue 43): an experiment of kind "rollout" (live vs new), whose steps, pause and
-- decisions are kept in experiments.rollout; the check keeps the kind and the state together.
CREATE TYPE "public"."experiment_kind" AS ENUM('experiment', 'rollout');--> statement-breakpoint
ALTER TABLE "experiments" ADD COLUMN "kind" "experiment_kind" DEFAULT 'experiment' NOT NULL;--> statement-breakpoint
ALTER TABLE "experiments" ADD COLUMN "rollout" jsonb;--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_rollout_state" CHECK (("experiments"."kind" = 'rollout') = ("experiments"."rollout" is not null));