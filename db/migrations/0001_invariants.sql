-- Invariants the database enforces itself, whatever code talks to it.
-- Versions, the deployment log and the audit log are insert-only.
CREATE OR REPLACE FUNCTION lectern_reject_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% rows are immutable: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER prompt_versions_immutable BEFORE UPDATE OR DELETE ON "prompt_versions"
  FOR EACH ROW EXECUTE FUNCTION lectern_reject_change();
--> statement-breakpoint
CREATE TRIGGER deployments_append_only BEFORE UPDATE OR DELETE ON "deployments"
  FOR EACH ROW EXECUTE FUNCTION lectern_reject_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION lectern_reject_change();
--> statement-breakpoint
-- Slugs and names are checked by the application too; these make bad rows impossible.
ALTER TABLE "prompts" ADD CONSTRAINT "prompts_name_format"
  CHECK (name ~ '^[a-z0-9_/-]{1,100}$' AND name !~ '(^/|/$|//)');
--> statement-breakpoint
ALTER TABLE "prompt_versions" ADD CONSTRAINT "prompt_versions_version_positive" CHECK (version >= 1);
--> statement-breakpoint
ALTER TABLE "experiment_variants" ADD CONSTRAINT "experiment_variants_weight_range" CHECK (weight >= 0 AND weight <= 1);
--> statement-breakpoint
-- At most one open draft per name per prompt.
CREATE UNIQUE INDEX "drafts_open_name" ON "drafts" ("prompt_id", "name") WHERE closed_at IS NULL;
--> statement-breakpoint
-- At most one pending review per (prompt, version, environment).
CREATE UNIQUE INDEX "review_requests_one_pending" ON "review_requests" ("prompt_id", "version", "environment_id") WHERE status = 'pending';
