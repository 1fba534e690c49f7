import { describe, expect, it } from "vitest";
import { agreementContract, compareContract, pairedContract, resultsContract } from "./contracts";

const paired = {
  n: 12,
  meanDiff: -0.5,
  ci: [-0.83, -0.17],
  tPValue: 0.0069,
  wilcoxonPValue: 0.03,
  adjustedPValue: 0.0069,
  significant: true,
  direction: "worse",
};

describe("decision contracts", () => {
  it("accept an answer with more fields than they name", () => {
    expect(pairedContract.safeParse({ ...paired, decidedBy: "t", note: null }).success).toBe(true);
  });

  it("name the field a paired comparison breaks", () => {
    const r = pairedContract.safeParse({ ...paired, ci: [1], tPValue: 1.2 });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join("."))).toEqual(["ci", "tPValue"]);
  });

  it("want each comparison to carry either adjusted or the reason CUPED cannot apply", () => {
    const results = (metric: object) => ({
      verdict: "…",
      comparisons: [{ variant: "b", metrics: { quality: metric } }],
      unattributed: { events: 0, groups: [], line: null },
    });
    expect(resultsContract.safeParse(results({ adjustedReason: "no history" })).success).toBe(true);
    expect(resultsContract.safeParse(results({})).success).toBe(false);
    const adjusted = {
      lift: 0.06,
      ci: [0.01, 0.11],
      pValue: 0.02,
      significant: true,
      varianceReduction: 48.2,
      covariate: { metric: "quality", theta: 0.9, subjects: 80, subjectsWithHistory: 60 },
      lookbackDays: 14,
    };
    expect(resultsContract.safeParse(results({ adjusted })).success).toBe(true);
    expect(resultsContract.safeParse(results({ adjusted: { ...adjusted, lookbackDays: 0 } })).success).toBe(false);
  });

  it("want the events counted apart, each group with a known reason", () => {
    const results = (unattributed: unknown) => ({ verdict: "…", comparisons: [], unattributed });
    const group = { reason: "other_arm", variant: "B", served: "A", events: 10 };
    expect(resultsContract.safeParse(results({ events: 10, groups: [group], line: "10 events…" })).success).toBe(true);
    expect(resultsContract.safeParse(results(undefined)).success).toBe(false);
    const unknown = { events: 1, groups: [{ ...group, reason: "forged" }], line: "…" };
    expect(resultsContract.safeParse(results(unknown)).success).toBe(false);
  });

  it("want the judge's agreement flat at the top", () => {
    const flat = { scorer: "polite", labels: 4, kappa: 0.5, confusion: null, disagreements: [], judges: [] };
    expect(agreementContract.safeParse(flat).success).toBe(true);
    expect(agreementContract.safeParse({ judges: [] }).success).toBe(false);
  });

  it("want each disagreement to name its output by sampleId or runItemId, not both", () => {
    const answer = (d: object) => ({
      scorer: "polite",
      labels: 4,
      kappa: 0.5,
      confusion: null,
      disagreements: [{ human: 0, judge: 1, ...d }],
      judges: [],
    });
    expect(agreementContract.safeParse(answer({ sampleId: 7, runItemId: null })).success).toBe(true);
    expect(agreementContract.safeParse(answer({ sampleId: null, runItemId: 9 })).success).toBe(true);
    expect(agreementContract.safeParse(answer({ sampleId: 7, runItemId: 9 })).success).toBe(false);
    expect(agreementContract.safeParse(answer({ sampleId: null, runItemId: null })).success).toBe(false);
    expect(agreementContract.safeParse(answer({})).success).toBe(false);
  });

  it("check a run's interval, pass@k and pass^k on the 0–1 scale when the comparison carries them", () => {
    const statistics = { unit: "item", items: 12, ci: [0.61, 0.83] };
    const compare = (b: object) => ({
      verdict: "…",
      paired: { alpha: 0.05, items: 12, test: "paired t", overall: paired },
      scorers: [],
      pairwise: [],
      a: { id: "a", statistics },
      b: { id: "b", statistics: { ...statistics, ...b } },
      items: [],
    });
    const issues = (b: object) => {
      const r = compareContract.safeParse(compare(b));
      return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
    };
    expect(issues({})).toEqual([]);
    expect(issues({ passAtK: 0.9, passHatK: 0.4 })).toEqual([]);
    expect(issues({ passAtK: null, passHatK: null, ci: null })).toEqual([]);
    expect(issues({ passAtK: 1.2 })).toEqual(["b.statistics.passAtK"]);
    expect(issues({ passHatK: -0.1 })).toEqual(["b.statistics.passHatK"]);
    expect(issues({ ci: [0.4, 1.3] })).toEqual(["b.statistics.ci.1"]);
    expect(issues({ ci: [0.8, 0.6] })).toEqual(["b.statistics.ci"]);
  });
});
