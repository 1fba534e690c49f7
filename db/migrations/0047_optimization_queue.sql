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
ALTER TABLE "optimizations" ADD CONSTRAINT "optimizations_finished" CHECK (("optimizations"."status"::text in ('completed', 'budget_exhausted', 'failed', 'cancelled')) = ("optimizations"."finished_at" is not null));