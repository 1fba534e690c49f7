import { describe, expect, it } from "vitest";
import { agreementOf, type Pair } from "./agreement";

const pair = (i: number, human: boolean, judge: boolean): Pair => ({
  sampleId: i,
  output: `output ${i}`,
  scale: "pass_fail",
  value: human ? 1 : 0,
  comment: "",
  score: judge ? 0.9 : 0.1,
  passed: judge,
  reason: "",
});

describe("agreementOf", () => {
  it("warns when κ is below 0.6, in words with the band", () => {
    // A lenient judge: passes 28 of 30 while people fail 10.
    const pairs = Array.from({ length: 30 }, (_, i) => pair(i, i >= 10, i >= 2));
    const a = agreementOf("polite", 0.5, pairs);
    // Observed 22/30; chance (10·2 + 20·28)/30² = 0.644; κ = (0.733 − 0.644)/(1 − 0.644) = 0.25.
    expect(a.passFail!.kappa).toBeCloseTo(0.25, 12);
    expect(a.warning).toBe("κ = 0.25 (fair) is below 0.6: do not let this judge decide alone.");
    expect(a.disagreements.map((d) => d.sampleId)).toEqual(Array.from({ length: 8 }, (_, i) => i + 2));
  });
  it("says when agreement is undefined", () => {
    const a = agreementOf(
      "polite",
      0.5,
      Array.from({ length: 30 }, (_, i) => pair(i, true, true)),
    );
    expect(a.passFail!.kappa).toBeNull();
    expect(a.warning).toMatch(/undefined/);
  });
});
