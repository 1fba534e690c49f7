// The facts of a release plan for the pure plan tests (lib/release/plan/plan*.test.ts): version 4 of
// support-reply for production, where version 2 is live and no rule applies, with `extra` on top.
import type { PlanFacts } from "../lib/release/plan/plan";

export const planFacts = (extra: Partial<PlanFacts> = {}, env: Partial<PlanFacts["environment"]> = {}): PlanFacts => ({
  prompt: "support-reply",
  version: 4,
  environment: { name: "production", protected: false, requiresReview: false, requiresLiveIn: null, ...env },
  live: 2,
  wasLiveIn: [],
  gate: null,
  reviews: { approved: null, pending: null },
  breaking: [],
  experiments: [],
  rolledBack: null,
  ...extra,
});
