// What a gate's run must show before its score or paired comparison counts (gate-evidence.ts), through
// the release plan's evaluation step. Pure: facts in, step out.
import { describe, expect, it } from "vitest";
import { planFacts } from "../../test/plan-facts";
import { releasePlan, type CountingRunFact, type GateFacts, type PairedGateFacts } from "./plan";

const run = (id: string, score: number | null, extra: Partial<CountingRunFact> = {}): CountingRunFact => ({
  id,
  status: "completed",
  score,
  datasetVersion: 1,
  done: 40,
  total: 40,
  failedItems: 0,
  firstFailure: null,
  ...extra,
});
const render = "the version cannot be rendered for this item: Missing required variables: x";

const gate = (extra: Partial<GateFacts> = {}): GateFacts => ({
  mode: "paired",
  paired: null,
  dataset: { id: "ds-1", name: "tickets" },
  datasetVersion: 1,
  pinned: false,
  currentVersion: 1,
  items: 40,
  minScore: 0,
  maxDrop: 1,
  scorers: [],
  run: run("r-4", 0.9),
  inProgress: null,
  outdated: null,
  baseline: { version: 2, run: run("r-live", 0.9) },
  judges: [],
  ...extra,
});
type Scorer = PairedGateFacts["scorers"][number];
const scorer = (name: string, n: number, meanDiff: number | null, p: number | null): Scorer => ({
  name,
  n,
  meanDiff,
  ci: null,
  adjustedPValue: p,
  direction: p !== null && p < 0.05 && meanDiff ? (meanDiff > 0 ? "better" : "worse") : "same",
});
const paired = (...scorers: Scorer[]): PairedGateFacts => ({ alpha: 0.05, items: 40, scorers });
const step = (g: Partial<GateFacts>) => releasePlan(planFacts({ gate: gate(g) })).steps[0]!;

describe("a gate run's failed items", () => {
  it.each(["threshold", "paired", "both"] as const)("%s: any failed item leaves the gate unmet, in words", (mode) => {
    // The one item that rendered scored 100%: the score alone would pass any minimum.
    const s = step({
      mode,
      minScore: 0.8,
      run: run("r-4", 1, { failedItems: 39, firstFailure: render }),
      paired: paired(scorer("thanks", 1, 0, null)),
    });
    expect(s.met).toBe(false);
    expect(s.detail).toBe(
      `39 of 40 gate items failed for version 4 in run r-4 on tickets (version 1) (the first: ${render}); a gate needs every item to run and be scored.`,
    );
    expect(s.evaluation).toMatchObject({ items: 40, failedItems: 39, score: 1 });
    // A new run is offered (a model call that timed out may pass the next time).
    expect(s.action).toMatchObject({ kind: "run_evaluation", version: 4 });
  });

  it("one failed item is enough", () => {
    expect(step({ mode: "threshold", minScore: 0.5, run: run("r-4", 0.9, { failedItems: 1 }) }).met).toBe(false);
  });

  it("threshold: a live run with failed items gives no drop to measure, and says so", () => {
    const s = step({
      mode: "threshold",
      minScore: 0.5,
      maxDrop: 0.05,
      run: run("r-4", 0.8),
      baseline: { version: 2, run: run("r-live", 1, { failedItems: 30 }) },
    });
    expect(s).toMatchObject({ met: true, evaluation: { drop: null, failedItems: 0 } });
    expect(s.detail).toBe(
      "Version 4 scored 80.0% on tickets (version 1). Live version 2's run r-live failed on 30 of 40 items, so no drop from it is measured.",
    );
  });
});
