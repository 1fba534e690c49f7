import { describe, expect, it } from "vitest";
import { compareArms, type MetricComparison } from "../stats/compare";
import { cuped, type CupedSubject } from "../stats/cuped";
import { fromValues } from "../stats/summary";
import { withAdjusted, type AdjustContext } from "./adjusted";
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
