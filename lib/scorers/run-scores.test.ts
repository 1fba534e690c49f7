import { describe, expect, it } from "vitest";
import { aggregateScores, combineOutcomes, unscoredScorers } from "./run-scores";
import { parseScorerSpecs } from "./spec";
import { runScorerSync, scoreDeterministic, scoreItemSync } from "./run";
import type { ScorerOutcome } from "./types";

// A hand-made outcome: name, score, weight, threshold, error?
function o(name: string, score: number, weight = 1, threshold = 0.5, error?: string): ScorerOutcome {
  return {
    name,
    type: "levenshtein",
    score,
    weight,
    threshold,
    passed: !error && score >= threshold,
    reason: "r",
    ...(error && { error }),
  };
}

describe("combineOutcomes", () => {
  it.each([
    ["one scorer", [o("a", 0.8)], 0.8, true, false],
    ["equal weights: plain mean", [o("a", 1), o("b", 0)], 0.5, false, false],
    ["weights 3:1", [o("a", 1, 3), o("b", 0, 1)], 0.75, false, false],
    ["all pass", [o("a", 0.6), o("b", 0.9)], 0.75, true, false],
    ["a threshold decides, not the mean", [o("a", 1), o("b", 0.59, 1, 0.6)], 0.795, false, false],
    ["weight 0 is informational: out of the score and of pass/fail", [o("a", 1), o("info", 0, 0)], 1, true, false],
    [
      "an error is left out of the mean but fails the item",
      [o("a", 0.9), o("judge", 0, 1, 0.5, "judge down")],
      0.9,
      false,
      true,
    ],
    ["only errors: no score", [o("judge", 0, 1, 0.5, "judge down")], null, false, true],
    ["no scorers: no score, vacuously passed", [], null, true, false],
    ["only weight-0 scorers", [o("info", 0.3, 0)], null, true, false],
  ])("%s", (_label, outcomes, score, passed, errored) => {
    const v = combineOutcomes(outcomes);
    if (score === null) expect(v.score).toBeNull();
    else expect(v.score).toBeCloseTo(score, 12);
    expect(v.passed).toBe(passed);
    expect(v.errored).toBe(errored);
  });
});

describe("aggregateScores", () => {
  it("averages items, counts passes and breaks down by scorer and tag", () => {
    const items = [
      { id: "1", tags: ["billing", "en"], results: [o("format", 1), o("judge", 0.75)] }, // 0.875, pass
      { id: "2", tags: ["billing"], results: [o("format", 0), o("judge", 1)] }, // 0.5, fail
      { id: "3", tags: ["en"], results: [o("format", 1), o("judge", 0, 1, 0.5, "timeout")] }, // 0.5 (judge errored: 0), fail, errored
      { id: "4", results: [o("format", 1), o("judge", 0.25)] }, // 0.625, fail
    ];
    const s = aggregateScores(items);
    // A scorer that could not score an answer counts as a failure of it in the run's score.
    expect(s.score).toBeCloseTo((0.875 + 0.5 + 0.5 + 0.625) / 4, 12);
    expect(s).toMatchObject({ items: 4, passed: 1, failed: 3, errored: 1, passRate: 0.25 });
    expect(s.byScorer.format).toEqual({
      type: "levenshtein",
      weight: 1,
      threshold: 0.5,
      mean: 0.75,
      passRate: 0.75,
      count: 4,
      errors: 0,
    });
    expect(s.byScorer.judge!.mean).toBeCloseTo((0.75 + 1 + 0.25) / 3, 12);
    expect(s.byScorer.judge).toMatchObject({ passRate: 2 / 3, count: 3, errors: 1 });
    expect(s.byTag.billing!.score).toBeCloseTo((0.875 + 0.5) / 2, 12);
    expect(s.byTag.billing).toMatchObject({ passRate: 0.5, items: 2 });
    expect(s.byTag.en!.score).toBeCloseTo((0.875 + 0.5) / 2, 12);
    expect(s.byTag.en).toMatchObject({ passRate: 0.5, items: 2 });
    expect(Object.keys(s.byTag).sort()).toEqual(["billing", "en"]);
  });

  it("counts a tag repeated on one item once", () => {
    expect(aggregateScores([{ tags: ["a", "a"], results: [o("x", 1)] }]).byTag.a!.items).toBe(1);
  });

  it("reports an empty run as having no score", () => {
    expect(aggregateScores([])).toEqual({
      score: null,
      passRate: null,
      items: 0,
      passed: 0,
      failed: 0,
      errored: 0,
      byScorer: {},
      byTag: {},
    });
  });

  it("reports a scorer that always errored with a null mean and why; the run's score counts those as failures", () => {
    const s = aggregateScores([
      { results: [o("j", 0, 1, 0.5, "down"), o("exact", 1)] },
      { results: [o("j", 0, 1, 0.5, "still down"), o("exact", 1)] },
    ]);
    expect(s.byScorer.j).toMatchObject({ mean: null, passRate: null, count: 0, errors: 2, reason: "down" });
    expect(s.byScorer.exact).not.toHaveProperty("reason");
    // Not 100%: the judge could not score either answer.
    expect(s.score).toBe(0.5);
    expect(s.passRate).toBe(0);
    expect(unscoredScorers(s)).toEqual([{ name: "j", reason: "down" }]);
    // A live sample's own score leaves the errored judge out, so an outage is not read as a regression.
    expect(combineOutcomes([o("j", 0, 1, 0.5, "down"), o("exact", 1)]).score).toBe(1);
  });
});

describe("running deterministic scorers", () => {
  const specs = parseScorerSpecs([
    { type: "json_valid", weight: 2 },
    { type: "required_fields", fields: ["reply", "tone"] },
    { type: "length", max: 40, name: "short" },
    { type: "exact_match", weight: 0 },
  ]);

  it("scores an item end to end", () => {
    const item = scoreItemSync(specs, { output: '{"reply": "Hello there"}', expected: "x" });
    expect(item.results.map((r) => [r.name, r.score, r.passed])).toEqual([
      ["json_valid", 1, true],
      ["required_fields", 0.5, false],
      ["short", 1, true],
      ["exact_match", 0, false],
    ]);
    expect(item.score).toBeCloseTo((2 * 1 + 0.5 + 1) / 4, 12);
    expect(item.passed).toBe(false);
  });

  it("turns a missing expected value into an error outcome", () => {
    const [spec] = parseScorerSpecs([{ type: "exact_match" }]);
    const r = runScorerSync(spec!, { output: "x" });
    expect(r).toMatchObject({
      name: "exact_match",
      score: 0,
      passed: false,
      error: "exact_match needs the item's expected output, or a value in the scorer spec",
    });
  });

  it("refuses model-backed types synchronously", () => {
    const [judge] = parseScorerSpecs([{ type: "llm_judge", model: "m", rubric: "r" }]);
    expect(() => scoreDeterministic(judge!, { output: "x" })).toThrow(
      "llm_judge calls a model and cannot be scored synchronously; use runScorer",
    );
    expect(() => runScorerSync(judge!, { output: "x" })).toThrow(/cannot be scored synchronously/);
  });
});
