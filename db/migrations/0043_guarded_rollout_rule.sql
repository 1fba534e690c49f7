-- An environment's guarded-rollout rule (issue 43): every release there ramps as a guarded rollout, with
-- these steps by default (lib/release/rollout-rule.ts); null: off.
ALTER TABLE "environments" ADD COLUMN "guarded_rollout" jsonb;