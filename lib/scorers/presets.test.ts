import { describe, expect, it } from "vitest";
import { parseScorerSpecs } from "./spec";
import { answerChecks, presetsForDataset, presetsForOnline, type DatasetFacts } from "./presets";

const facts = (over: Partial<DatasetFacts> = {}): DatasetFacts => ({
  items: 10,
  withExpected: 10,
  gates: [],
  ...over,
});
const ids = (f: DatasetFacts) => presetsForDataset(f).presets.map((p) => p.id);
const types = (f: DatasetFacts, id: string) =>
  presetsForDataset(f)
    .presets.find((p) => p.id === id)!
    .scorers.map((s) => s.type);

const demo = [
  { type: "length", name: "concise", unit: "words", max: 120 },
  { type: "safety", name: "safe" },
];

describe("presetsForDataset", () => {
  it.each([
    ["every item has an expected answer", facts(), "exact", true],
    ["no item has one", facts({ withExpected: 0 }), "checks", false],
    ["some items lack one", facts({ withExpected: 7 }), "checks", false],
    ["the dataset is empty", facts({ items: 0, withExpected: 0 }), "checks", false],
  ])("when %s: default %s, exact match offered: %s", (_, f, defaultId, offered) => {
    const offer = presetsForDataset(f);
    expect(offer.defaultId).toBe(defaultId);
    expect(offer.presets.some((p) => p.scorers.some((s) => s.type === "exact_match"))).toBe(offered);
    expect(offer.presets.some((p) => p.scorers.some((s) => s.type === "levenshtein"))).toBe(offered);
  });

  it.each([
    [
      facts({ withExpected: 0 }),
      "The items have no expected answers, so comparing with an expected answer is not offered",
    ],
    [facts({ withExpected: 7 }), "3 of 10 items have no expected answer"],
    [facts({ items: 0, withExpected: 0 }), "The dataset has no items yet"],
  ])("says why exact match is missing", (f, note) => {
    expect(presetsForDataset(f).note).toContain(note);
  });

  it("has no note when everything is offered", () => {
    expect(presetsForDataset(facts()).note).toBeNull();
  });

  it("offers a gate's scorers first, as the default, naming the environment", () => {
    const gate = parseScorerSpecs([{ type: "contains", value: "refund" }]);
    const offer = presetsForDataset(facts({ withExpected: 0, gates: [{ environment: "production", scorers: gate }] }));
    expect(offer.defaultId).toBe("gate:production");
    expect(offer.presets[0]).toMatchObject({
      label: "The gate's scorers (runs with these count for production's gate)",
      scorers: gate,
    });
    expect(offer.note).toContain("production's evaluation gate only with the gate's scorers");
  });

  it("merges environments gated with the same scorers and keeps different ones apart", () => {
    const a = parseScorerSpecs([{ type: "safety" }]);
    const b = [{ type: "safety", refusals: true }]; // the same once defaults are filled in
    const c = [{ type: "length", max: 10 }];
    const offer = presetsForDataset(
      facts({
        gates: [
          { environment: "staging", scorers: a },
          { environment: "production", scorers: b },
          { environment: "canary", scorers: c },
        ],
      }),
    );
    expect(offer.presets.slice(0, 2).map((p) => p.label)).toEqual([
      "The gate's scorers (runs with these count for staging's and production's gates)",
      "The gate's scorers (runs with these count for canary's gate)",
    ]);
    expect(offer.defaultId).toBe("gate:staging");
  });

  it("offers a dataset's own scorers (the demo's) unless a gate already has them", () => {
    const suggested = { label: "The demo's scorers", scorers: demo };
    expect(ids(facts({ withExpected: 0, suggested }))[0]).toBe("suggested");
    expect(presetsForDataset(facts({ withExpected: 0, suggested })).defaultId).toBe("suggested");
    const gated = facts({
      withExpected: 0,
      suggested,
      gates: [{ environment: "production", scorers: parseScorerSpecs(demo) }],
    });
    expect(ids(gated)).not.toContain("suggested");
    expect(ids(gated)[0]).toBe("gate:production");
  });

  it("builds the judge with the project's default model", () => {
    expect(presetsForDataset(facts({ judgeModel: "llama3" })).presets.find((p) => p.id === "judge")!.scorers).toEqual([
      expect.objectContaining({ type: "llm_judge", model: "llama3" }),
    ]);
    expect(types(facts(), "judge")).toEqual(["llm_judge"]);
  });

  it("offers only valid scorer lists", () => {
    const offer = presetsForDataset(
      facts({ gates: [{ environment: "production", scorers: parseScorerSpecs(demo) }], judgeModel: "m" }),
    );
    for (const p of offer.presets) expect(() => parseScorerSpecs(p.scorers), p.id).not.toThrow();
  });
});

describe("presetsForOnline", () => {
  it("never offers comparisons with expected answers and starts from the checks", () => {
    const offer = presetsForOnline();
    expect(offer.defaultId).toBe("checks");
    expect(offer.presets[0]!.scorers).toEqual(answerChecks);
    expect(offer.presets.flatMap((p) => p.scorers.map((s) => s.type))).not.toContain("exact_match");
    expect(offer.note).toContain("no expected answer");
  });
});
