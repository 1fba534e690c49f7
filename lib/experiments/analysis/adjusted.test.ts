import { describe, expect, it } from "vitest";
import { compareArms, type MetricComparison } from "../../stats/compare";
import { cuped, type CupedSubject } from "../../stats/cuped";
import { fromValues } from "../../stats/summary";
import { guardrailReadings, withAdjusted, type AdjustContext } from "./adjusted";
import { analyze, type AnalysisDefinition } from "./analyze";
import { momentsOfPairs } from "./covariates";

// Control and treatment with a strong covariate and a clear effect (+4 on a level of ~20).
const control: CupedSubject[] = [10, 14, 18, 22, 26, 30].map((x, i) => ({ x, y: x + [1, -1, 2, -2, 1, -1][i]! }));
const treatment: CupedSubject[] = [12, 16, 20, 24, 28, null].map((x, i) => ({
  x,
  y: (x ?? 20) + 4 + [-1, 1, -2, 2, -1, 1][i]!,
}));
const pairs = momentsOfPairs(
  new Map([
    ["A", new Map([["quality", control]])],
    ["B", new Map([["quality", treatment]])],
  ]),
);
const raw = (method: "fixed" | "sequential"): MetricComparison =>
  compareArms(fromValues(control.map((s) => s.y)), fromValues(treatment.map((s) => s.y)), {
    kind: "continuous",
    method,
  });
const ctx = (over: Partial<AdjustContext> = {}): AdjustContext => ({
  control: "A",
  mode: "sequential",
  fixedReady: false,
  alpha: 0.05,
  plannedTotal: 100,
  primary: "quality",
  lookbackDays: 14,
  ...over,
});

describe("withAdjusted", () => {
  it("adds the CUPED numbers of the same method beside the unadjusted comparison", () => {
    const [out] = withAdjusted([{ variant: "B", metrics: { quality: raw("sequential") } }], pairs, ctx());
    const m = out!.metrics.quality!;
    const direct = cuped([control, treatment], { method: "sequential", alpha: 0.05, plannedTotal: 100 });
    if (!direct.ok) throw new Error(direct.reason);
    expect(m.adjusted).toMatchObject({
      lift: direct.comparisons[0]!.lift,
      differenceCi: direct.comparisons[0]!.differenceCi,
      pValue: direct.comparisons[0]!.pValue,
      lookbackDays: 14,
      covariate: { metric: "quality", subjects: 12, subjectsWithHistory: 11 },
    });
    expect(m.adjusted!.varianceReduction).toBeGreaterThan(50);
    expect(m.pValue).toBe(raw("sequential").pValue);
  });

  it("calls nothing significant before a fixed experiment's planned sample, like the unadjusted result", () => {
    const early = withAdjusted([{ variant: "B", metrics: { quality: raw("fixed") } }], pairs, ctx({ mode: "fixed" }));
    const ready = withAdjusted(
      [{ variant: "B", metrics: { quality: raw("fixed") } }],
      pairs,
      ctx({ mode: "fixed", fixedReady: true }),
    );
    expect(ready[0]!.metrics.quality!.adjusted!.significant).toBe(true);
    expect(early[0]!.metrics.quality!.adjusted!.significant).toBe(false);
    expect(early[0]!.metrics.quality!.adjusted!.pValue).toBe(ready[0]!.metrics.quality!.adjusted!.pValue);
  });

  it("gives the reason when a metric has no pairs", () => {
    const [out] = withAdjusted([{ variant: "B", metrics: { latency_ms: raw("sequential") } }], pairs, ctx());
    expect(out!.metrics.latency_ms!.adjusted).toBeUndefined();
    expect(out!.metrics.latency_ms!.adjustedReason).toMatch(/2 subjects/);
  });
});

describe("a guarded rollout's guardrails (cupedGuardrails)", () => {
  const latency = { A: [200, 210, 220, 230, 240, 250], B: [205, 215, 225, 235, 245, 255] };
  const arms = (["A", "B"] as const).map((key, i) => ({
    variant: key,
    subjects: 6,
    metrics: {
      quality: fromValues((i ? treatment : control).map((s) => s.y)),
      latency_ms: fromValues(latency[key]),
    },
  }));
  const def = (cupedGuardrails: boolean): AnalysisDefinition => ({
    mode: "sequential",
    variants: [
      { key: "A", weight: 0.5 },
      { key: "B", weight: 0.5 },
    ],
    primaryMetric: { name: "thumbs", kind: "binary" },
    guardrails: [
      { name: "quality", kind: "continuous", direction: "increase_is_bad" },
      { name: "latency_ms", kind: "continuous", direction: "increase_is_bad" },
    ],
    plannedSamplePerArm: 50,
    cupedGuardrails,
  });
  const covariates = { moments: pairs, lookbackDays: 14 };

  it("reads a guardrail adjusted where CUPED applies, and Holm on it flags what the raw reading does not", () => {
    const plain = analyze(def(false), arms, { covariates }).guardrails;
    const adjusted = analyze(def(true), arms, { covariates }).guardrails;
    expect(plain.map((g) => g.cuped)).toEqual([null, null]);
    expect(plain[0]!.breached).toBe(false);
    const [direct] = withAdjusted(
      [{ variant: "B", metrics: { quality: raw("sequential") } }],
      pairs,
      ctx({ plannedTotal: 100, primary: "other" }),
    );
    const a = direct!.metrics.quality!.adjusted!;
    expect(adjusted[0]).toMatchObject({ metric: "quality", lift: a.lift, ci: a.ci, difference: a.difference });
    expect(adjusted[0]!.cuped).toEqual({ varianceReduction: a.varianceReduction });
    expect(adjusted[0]!.adjustedPValue).toBeCloseTo(Math.min(1, 2 * a.pValue!), 12);
    expect(adjusted[0]!.breached).toBe(true);
    // No covariate for latency: its own unadjusted reading, saying so.
    expect(adjusted[1]).toEqual({ ...plain[1]!, adjustedPValue: adjusted[1]!.adjustedPValue });
    expect(adjusted[1]!.cuped).toBeNull();
  });

  it("reads the guardrail's own method, never the primary metric's", () => {
    const fixed = raw("fixed");
    const [out] = guardrailReadings("B", [{ name: "quality", comparison: fixed }], covariates, {
      control: "A",
      mode: "fixed",
      fixedReady: false,
      alpha: 0.05,
      plannedTotal: 100,
    });
    const seq = cuped([control, treatment], { method: "sequential", alpha: 0.05, plannedTotal: 100 });
    if (!seq.ok) throw new Error(seq.reason);
    expect(out!.ci).toEqual(seq.comparisons[0]!.ci);
  });
});
