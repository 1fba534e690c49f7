-- An evaluation run that finished but whose weighted scorer could not score any answer (issue 41): no verdict.
ALTER TYPE "public"."eval_run_status" ADD VALUE IF NOT EXISTS 'unscored' BEFORE 'failed';--> statement-breakpoint
-- Its checks compare the status as text: this transaction may not cast a literal to the value it just added.
ALTER TABLE "eval_runs" DROP CONSTRAINT "eval_runs_finished";--> statement-breakpoint
ALTER TABLE "eval_runs" DROP CONSTRAINT "eval_runs_completed";--> statement-breakpoint
ALTER TABLE "eval_runs" ADD CONSTRAINT "eval_runs_finished" CHECK (("eval_runs"."status"::text in ('completed', 'unscored', 'failed', 'cancelled')) = ("eval_runs"."finished_at" is not null));--> statement-breakpoint
ALTER TABLE "eval_runs" ADD CONSTRAINT "eval_runs_completed" CHECK ("eval_runs"."status"::text not in ('completed', 'unscored') or "eval_runs"."done" = "eval_runs"."total");
