// What a gate's run must show before its score or paired comparison counts (gate-evidence.ts), through
// the release plan's evaluation step. Pure: facts in, step out.
import { describe, expect, it } from "vitest";
import { planFacts } from "../../../test/plan-facts";
import { pairsNeeded } from "./gate-evidence";
import { releasePlan, type CountingRunFact, type GateFacts, type PairedGateFacts } from "../plan/plan";

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

describe("a paired gate's pairs", () => {
  it.each([
    [0, 0],
    [1, 1],
    [5, 5],
    [9, 9],
    [10, 10],
    [12, 10],
    [13, 11],
    [15, 12],
    [40, 32],
    [41, 33],
    [1000, 800],
  ])("a gate of %i items needs %i pairs per scorer", (items, need) => expect(pairsNeeded(items)).toBe(need));

  it("too few pairs on a scorer leave it unmet, with each scorer's real count and the live run's failures", () => {
    const s = step({
      paired: paired(scorer("thanks", 1, -1, null), scorer("concise", 40, 0, 1)),
      baseline: { version: 2, run: run("r-live", 1, { failedItems: 39, firstFailure: render }) },
    });
    expect(s.met).toBe(false);
    expect(s.detail).toBe(
      `Too few paired items on thanks: 1 of 40; a paired gate needs 32 (80% of the gate's 40 items, and at least 10) scored by both version 4 and live version 2 on every gate scorer. Live version 2's run r-live failed on 39 of 40 items (the first: ${render}).`,
    );
    expect(s.evaluation!.pairsNeeded).toBe(32);
    // The live version's run is the one to make again.
    expect(s.action).toMatchObject({ kind: "run_evaluation", version: 2 });
  });

  it("31 of 40 is too few, 32 enough; a gate of 8 items needs all 8", () => {
    expect(step({ paired: paired(scorer("thanks", 31, 0, 0.9)) }).detail).toMatch(
      /^Too few paired items on thanks: 31 of 40;/,
    );
    expect(step({ paired: paired(scorer("thanks", 32, 0, 0.9)) })).toMatchObject({ met: true });
    const small = step({ items: 8, paired: paired(scorer("thanks", 7, 0, 0.9)) });
    expect(small.detail).toMatch(
      /^Too few paired items on thanks: 7 of 8; a paired gate needs every one of the gate's 8 items/,
    );
    expect(small.action).toBeNull();
  });

  it("no p-value passes only for one pair that did not move", () => {
    const s = step({ items: 1, paired: paired(scorer("thanks", 1, 0.5, null)) });
    expect(s).toMatchObject({
      met: false,
      detail: "The paired test could not be computed on thanks (1 pair); a gate passes only on a test.",
    });
    expect(step({ items: 1, paired: paired(scorer("thanks", 1, 0, null)) }).met).toBe(true);
  });

  it("a paired comparison without any gate scorer does not pass", () => {
    expect(step({ paired: paired() })).toMatchObject({ met: false, detail: expect.stringMatching(/^No gate scorer/) });
  });

  it("below 10 items no scorer may be lower on average, significant or not", () => {
    const s = step({ items: 5, paired: paired(scorer("thanks", 5, -0.6, 0.14), scorer("concise", 5, 0, 1)) });
    expect(s.met).toBe(false);
    expect(s.detail).toBe(
      "On a gate of fewer than 10 items a paired test can hardly find a loss, so no gate scorer may be lower on average: version 4 is below live version 2 on thanks by 60.0 points (5 items).",
    );
    expect(step({ items: 5, paired: paired(scorer("thanks", 5, 0.2, 0.3)) }).met).toBe(true);
    // From 10 items on, the test decides.
    expect(step({ items: 10, paired: paired(scorer("thanks", 10, -0.1, 0.3)) }).met).toBe(true);
  });

  it("reports the real pairs when the scorers differ, not the dataset's size", () => {
    const s = step({ paired: paired(scorer("thanks", 38, 0, 0.9), scorer("concise", 40, 0, 1)) });
    expect(s.met).toBe(true);
    expect(s.detail).toContain("(thanks 38, concise 40 of 40 items; paired t test)");
    expect(step({ paired: paired(scorer("thanks", 36, 0, 0.9)) }).detail).toContain("(36 of 40 items; paired t test)");
  });
});
