import { describe, expect, it } from "vitest";
import { agreementOf, agreementSummary, type Pair } from "./judge-agreement";

const pair = (i: number, human: boolean, judge: boolean): Pair => ({
  sampleId: i,
  runItemId: null,
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
  it("puts κ and the confusion table flat beside the details, weighted κ only with 1–5 labels", () => {
    const pairs = Array.from({ length: 30 }, (_, i) => pair(i, i >= 10, i >= 2));
    const a = agreementOf("polite", 0.5, pairs);
    expect(a.kappa).toBe(a.passFail!.kappa);
    expect(a.confusion).toEqual(a.passFail!.confusion);
    expect(a).not.toHaveProperty("weightedKappa");
    const scaled = agreementOf(
      "polite",
      0.5,
      [1, 2, 3, 4, 5, 5].map((v, i) => ({ ...pair(i, true, true), scale: "scale_5", value: v, score: (v - 1) / 4 })),
    );
    expect(scaled).toMatchObject({ kappa: 1, weightedKappa: 1, confusion: scaled.scale!.confusion });
  });
});

describe("agreementOf counts the labels its κ was computed on", () => {
  const scaled = (i: number, v: number): Pair => ({
    ...pair(i, true, true),
    scale: "scale_5",
    value: v,
    score: (v - 1) / 4,
  });
  it("does not let 1–5 labels make up the 30 for a pass/fail κ", () => {
    // 12 pass/fail labels (κ on these) and 25 scores on 1–5: 37 in all, but κ rests on 12.
    const pf = Array.from({ length: 12 }, (_, i) => pair(i, i >= 4, i >= 4));
    const sc = Array.from({ length: 25 }, (_, i) => scaled(100 + i, 1 + (i % 5)));
    const a = agreementOf("polite", 0.5, [...pf, ...sc]);
    expect(a).toMatchObject({ labels: 12, kappa: 1, passFail: { labels: 12 }, scale: { labels: 25 } });
    expect(a.confusion).toEqual(a.passFail!.confusion);
    expect(a.warning).toBe(
      "Only 12 pass/fail labels: at least 30 are needed before the agreement means much (the 25 scores on 1–5 count apart).",
    );
    expect(agreementSummary([a])).toMatchObject({ labels: 12, kappa: 1, weightedKappa: 1 });
  });
  it("counts the 1–5 labels when there are no pass/fail ones", () => {
    const a = agreementOf(
      "polite",
      0.5,
      Array.from({ length: 30 }, (_, i) => scaled(i, 1 + (i % 5))),
    );
    expect(a).toMatchObject({ labels: 30, kappa: 1, weightedKappa: 1, passFail: null, warning: null });
  });
  it("keeps κ undefined rather than borrow the other kind's", () => {
    // Everyone passes everything on pass/fail (κ undefined); the 1–5 scores agree perfectly.
    const pf = Array.from({ length: 30 }, (_, i) => pair(i, true, true));
    const sc = Array.from({ length: 30 }, (_, i) => scaled(100 + i, 1 + (i % 5)));
    const a = agreementOf("polite", 0.5, [...pf, ...sc]);
    expect(a).toMatchObject({ labels: 30, kappa: null, weightedKappa: 1 });
    expect(a.confusion).toEqual(a.passFail!.confusion);
    expect(a.warning).toMatch(/undefined/);
  });
});

describe("agreementSummary", () => {
  const polite = agreementOf("polite", 0.5, [pair(1, true, false), pair(2, false, false)]);
  const brief = agreementOf("brief", 0.5, [pair(3, true, true)]);
  it("gives the named judge, else the first, in flat fields", () => {
    expect(agreementSummary([polite, brief])).toEqual({
      scorer: "polite",
      labels: 2,
      kappa: polite.kappa,
      confusion: polite.confusion,
      warning: polite.warning,
      disagreements: polite.disagreements,
    });
    expect(agreementSummary([polite, brief], "brief")).toMatchObject({ scorer: "brief", labels: 1 });
    expect(agreementSummary([polite, brief]).disagreements).toEqual([expect.objectContaining({ sampleId: 1 })]);
  });
  it("has no labels without a judge", () => {
    expect(agreementSummary([])).toEqual({
      scorer: null,
      labels: 0,
      kappa: null,
      confusion: null,
      warning: null,
      disagreements: [],
    });
  });
});
