-- The optimizer's queue bounded and given an exit (issue 61), and its outcome said (issue 58): a
-- `cancelled` status with who cancelled and why; `outcome` on a completed optimization, "improved" (a
-- draft significantly better on the held-out items) or "no_improvement" (no draft); indexes for the
-- queue's reads (a project's active optimizations, whose turn it is).
-- The checks compare the status as text: this transaction may not cast a literal to the value it adds.
ALTER TYPE "public"."optimization_status" ADD VALUE IF NOT EXISTS 'cancelled';--> statement-breakpoint
ALTER TABLE "optimizations" DROP CONSTRAINT "optimizations_finished";--> statement-breakpoint
ALTER TABLE "optimizations" ADD COLUMN "outcome" text;--> statement-breakpoint
ALTER TABLE "optimizations" ADD COLUMN "cancelled_by" text;--> statement-breakpoint
ALTER TABLE "optimizations" ADD COLUMN "cancel_reason" text;--> statement-breakpoint
CREATE INDEX "optimizations_active_index" ON "optimizations" USING btree ("project_id","status") WHERE "optimizations"."status" in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "optimizations_project_id_started_at_index" ON "optimizations" USING btree ("project_id","started_at");--> statement-breakpoint
-- Optimizations completed before outcomes existed: improved when their held-out comparison says the draft
-- is significantly better overall; otherwise nothing better was found, and the draft is no longer offered
-- as the optimization's result (it stays among the prompt's drafts).
UPDATE "optimizations" SET "outcome" = CASE WHEN "result"->'comparison'->'overall'->>'direction' = 'better' THEN 'improved' ELSE 'no_improvement' END WHERE "status"::text = 'completed';--> statement-breakpoint
UPDATE "optimizations" SET "draft_id" = NULL WHERE "outcome" = 'no_improvement';--> statement-breakpoint
ALTER TABLE "optimizations" ADD CONSTRAINT "optimizations_outcome" CHECK (("optimizations"."status"::text = 'completed') = ("optimizations"."outcome" is not null) and ("optimizations"."outcome" is null or "optimizations"."outcome" in ('improved', 'no_improvement')));--> statement-breakpoint
ALTER TABLE "optimizations" ADD CONSTRAINT "optimizations_no_draft_without_gain" CHECK ("optimizations"."outcome" is distinct from 'no_improvement' or "optimizations"."draft_id" is null);--> statement-breakpoint
ALTER TABLE "optimizations" ADD CONSTRAINT "optimizations_finished" CHECK (("optimizations"."status"::text in ('completed', 'budget_exhausted', 'failed', 'cancelled')) = ("optimizations"."finished_at" is not null));--> statement-breakpoint
-- The built-in scripted model (issue 58, item 7) as a connection kind: `scripted` answers in-process from
-- the prompt (lib/llm/scripted), so it has no base URL and no key; the demo project starts with one. Runs and
-- optimizations keep the name of the connection they were started on, so each says which model answered.
ALTER TABLE "model_connections" DROP CONSTRAINT "model_connections_provider";--> statement-breakpoint
ALTER TABLE "eval_runs" ADD COLUMN "connection_name" text;--> statement-breakpoint
ALTER TABLE "optimizations" ADD COLUMN "connection_name" text;--> statement-breakpoint
ALTER TABLE "model_connections" ADD CONSTRAINT "model_connections_scripted" CHECK ("model_connections"."provider" <> 'scripted' or ("model_connections"."base_url" is null and "model_connections"."api_key" is null));--> statement-breakpoint
ALTER TABLE "model_connections" ADD CONSTRAINT "model_connections_provider" CHECK ("model_connections"."provider" in ('openai', 'anthropic', 'openai-compatible', 'scripted'));--> statement-breakpoint
-- The scoring tick takes projects in turns (issue 61: a queue without a per-project bound;
-- lib/evaluation/online/scoring.ts): this index finds the projects with samples waiting, one probe each, and
-- each one's oldest.
CREATE INDEX "online_samples_pending_project" ON "online_samples" USING btree ("project_id","id") WHERE "online_samples"."status" = 'pending';