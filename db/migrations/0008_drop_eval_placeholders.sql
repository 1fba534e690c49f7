DROP TABLE "eval_cases" CASCADE;--> statement-breakpoint
DROP TABLE "eval_results" CASCADE;--> statement-breakpoint
DROP TABLE "eval_runs" CASCADE;--> statement-breakpoint
DROP TABLE "eval_suites" CASCADE;--> statement-breakpoint
ALTER TABLE "environments" DROP COLUMN "min_eval_score";--> statement-breakpoint
DROP TYPE "public"."eval_run_status";