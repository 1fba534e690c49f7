// The evaluation gate's facts for the pure plan tests (lib/release/plan/plan*.test.ts): a threshold gate on
// version 2 of the 10-item "regression" dataset (score at least 0.8, a drop of at most 0.05) with no run
// yet, and a completed run of it, each with `extra` on top; and a shadow comparison's facts.
import type { CountingRunFact, GateFacts } from "../lib/release/plan/plan";
import type { ShadowFacts } from "../lib/release/plan/shadow-facts";

export const gateFacts = (extra: Partial<GateFacts> = {}): GateFacts => ({
  mode: "threshold",
  paired: null,
  dataset: { id: "ds-1", name: "regression" },
  datasetVersion: 2,
  pinned: false,
  currentVersion: 2,
  items: 10,
  minScore: 0.8,
  maxDrop: 0.05,
  scorers: [],
  run: null,
  inProgress: null,
  outdated: null,
  baseline: null,
  judges: [],
  ...extra,
});

/** A completed run of all 10 items with `score`. */
export const runFact = (id: string, score: number | null, extra: Partial<CountingRunFact> = {}): CountingRunFact => ({
  id,
  status: "completed",
  score,
  datasetVersion: 2,
  done: 10,
  total: 10,
  failedItems: 0,
  firstFailure: null,
  ...extra,
});

/** A shadow comparison's facts: every scorer compared on every answered input unless `extra` says otherwise. */
export const shadowFacts = (extra: Partial<ShadowFacts> = {}): ShadowFacts => {
  const n = extra.n ?? 3;
  return {
    minInputs: 10,
    candidate: true,
    rule: true,
    answered: n,
    n,
    scorers: [{ name: "polite", pairs: n, errorsAsLosses: 0 }],
    worse: [],
    window: 2000,
    ...extra,
  };
};
