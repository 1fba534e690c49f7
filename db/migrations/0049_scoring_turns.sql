-- The scoring tick takes projects in turns (issue 61: a queue without a per-project bound;
-- lib/evaluation/online/scoring.ts): this index finds the projects with samples waiting, one probe each, and
-- each one's oldest.
CREATE INDEX "online_samples_pending_project" ON "online_samples" USING btree ("project_id","id") WHERE "online_samples"."status" = 'pending';