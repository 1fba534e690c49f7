-- A run can render a prompt with named partial versions (issue 42): a partial's candidate version in the
-- prompts that include it, so their evaluation gates run on the composed text before the partial is released.
ALTER TABLE "eval_runs" ADD COLUMN "partial_versions" jsonb;
