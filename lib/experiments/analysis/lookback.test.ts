import { describe, expect, it } from "vitest";
import { createExperimentInput, resultsQueryInput } from "../definition";

const definition = {
  prompt: "p",
  environment: "production",
  name: "n",
  mode: "sequential",
  variants: [
    { key: "A", version: 1, weight: 0.5 },
    { key: "B", version: 2, weight: 0.5 },
  ],
  primaryMetric: { name: "thumbs", kind: "binary" },
};

describe("CUPED look-back", () => {
  it("defaults to 14 days and keeps a whole number of days from 1 to 90", () => {
    expect(createExperimentInput.parse(definition).cupedLookbackDays).toBe(14);
    expect(createExperimentInput.parse({ ...definition, cupedLookbackDays: 90 }).cupedLookbackDays).toBe(90);
    expect(createExperimentInput.parse({ ...definition, cupedLookbackDays: 1 }).cupedLookbackDays).toBe(1);
  });

  it.each([0, 91, 7.5, "14", -3])("refuses cupedLookbackDays %j, naming the field", (value) => {
    const r = createExperimentInput.safeParse({ ...definition, cupedLookbackDays: value });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(["cupedLookbackDays"]);
    expect(r.error!.issues[0]!.message).toMatch(/cupedLookbackDays must be/);
  });

  it("reads ?lookbackDays=N from the results query, or nothing", () => {
    expect(resultsQueryInput.parse({ lookbackDays: "30" })).toEqual({ lookbackDays: 30 });
    expect(resultsQueryInput.parse({})).toEqual({});
  });

  it.each(["0", "91", "1.5", "abc", "", "-2", "1e1"])("refuses ?lookbackDays=%s with the bounds", (value) => {
    const r = resultsQueryInput.safeParse({ lookbackDays: value });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(["lookbackDays"]);
    expect(r.error!.issues[0]!.message).toMatch(/lookbackDays must be .*between 1 and 90/);
  });
});
