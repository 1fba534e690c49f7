import { describe, expect, it } from "vitest";
import { signTest, tallyPairwise } from "./pairwise-tally";
import type { ScorerOutcome } from "./types";

describe("signTest against scipy.stats.binomtest(k, n, 0.5).pvalue", () => {
  it.each([
    [0, 0, null],
    [5, 5, 1],
    [10, 0, 0.001953125],
    [8, 2, 0.109375],
    [15, 5, 0.04138946533203125],
    [1, 0, 1],
  ])("%i wins, %i losses → %s", (wins, losses, p) => {
    if (p === null) expect(signTest(wins, losses)).toBeNull();
    else expect(signTest(wins, losses)).toBeCloseTo(p, 12);
  });

  it("stays finite for large counts", () => {
    // binomtest(400, 1000).pvalue = 2.6e-10
    expect(signTest(600, 400)).toBeGreaterThan(1e-10);
    expect(signTest(600, 400)).toBeLessThan(1e-9);
  });
});

const judged = (score: number, order?: ScorerOutcome["order"], error?: string): ScorerOutcome => ({
  name: "pref",
  type: "llm_judge",
  weight: 1,
  threshold: 0.5,
  score,
  passed: score >= 0.5,
  reason: "",
  ...(order && { order }),
  ...(error && { error }),
});

describe("tallyPairwise", () => {
  it("averages an item's repetitions, counts flips and errors, and leaves ties out of the sign test", () => {
    const won = { forward: "output", reverse: "output", verdict: "output" } as const;
    const lost = { forward: "baseline", reverse: "baseline", verdict: "baseline" } as const;
    const flip = { forward: "output", reverse: "baseline", verdict: "tie" } as const;
    const t = tallyPairwise(
      [
        { itemId: "a", results: [judged(1, won)] },
        { itemId: "a", results: [judged(0.5, flip)] },
        { itemId: "b", results: [judged(0, lost)] },
        { itemId: "c", results: [judged(1, won)] },
        { itemId: "c", results: [judged(0, lost)] },
        { itemId: "d", results: [judged(0, undefined, "no baseline")] },
        { itemId: "e", results: [] },
      ],
      "pref",
    );
    expect(t).toEqual({ name: "pref", items: 3, wins: 1, ties: 1, losses: 1, flips: 1, errors: 1, signPValue: 1 });
  });
});
