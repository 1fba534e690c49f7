// The form's calculator must show exactly the plan the server stores (definition.ts plannedSample).
import { describe, expect, it } from "vitest";
import { plannedSample } from "./definition";
import { previewPlan } from "./plan-preview";

describe("previewPlan", () => {
  it.each([
    { kind: "binary" as const, alpha: 0.05, power: 0.8, mde: 0.1, rate: 0.2 },
    { kind: "binary" as const, alpha: 0.01, power: 0.9, mde: -0.15, rate: 0.6 },
    { kind: "binary" as const, alpha: 0.05, power: 0.8, mde: 0.05, rate: null },
  ])("binary $rate, MDE $mde equals the stored plan", ({ kind, alpha, power, mde, rate }) => {
    const p = previewPlan({ kind, arms: 3, alpha, power, minDetectableEffect: mde, baselineRate: rate });
    const stored = plannedSample({
      primaryMetric: { name: "thumbs", kind },
      alpha,
      power,
      minDetectableEffect: mde,
      baseline: rate === null ? undefined : { rate },
    });
    expect(p).toMatchObject({ ok: true, perArm: stored, total: stored! * 3, assumedRate: rate === null });
  });

  it("continuous with mean and sd equals the stored plan; coverage scales the traffic", () => {
    const p = previewPlan({
      kind: "continuous",
      arms: 2,
      alpha: 0.05,
      power: 0.8,
      minDetectableEffect: -0.1,
      baselineMean: 800,
      baselineSd: 300,
      coverage: 0.5,
    });
    const stored = plannedSample({
      primaryMetric: { name: "latency_ms", kind: "continuous" },
      alpha: 0.05,
      power: 0.8,
      minDetectableEffect: -0.1,
      baseline: { mean: 800, sd: 300 },
    });
    expect(p).toEqual({ ok: true, perArm: stored, total: stored! * 2, traffic: stored! * 4, assumedRate: false });
  });

  it("20% baseline, +10% lift, α 0.05, power 0.8 → 6,507 per arm (published two-proportion value)", () => {
    expect(
      previewPlan({ kind: "binary", arms: 2, alpha: 0.05, power: 0.8, minDetectableEffect: 0.1, baselineRate: 0.2 }),
    ).toMatchObject({ perArm: 6507 });
  });

  it.each([
    [{ alpha: 0 }, /α between 0 and 1/],
    [{ power: 1 }, /power between 0 and 1/],
    [{ minDetectableEffect: 0 }, /smallest lift/],
    [{ arms: 1 }, /at least one variant/],
    [{ baselineRate: 0.95, minDetectableEffect: 0.1 }, /past 0% or 100%/],
    [{ baselineRate: 1.2 }, /between 0% and 100%/],
    [{ kind: "continuous" as const }, /mean and standard deviation/],
    [{ kind: "continuous" as const, baselineMean: 10, baselineSd: 0 }, /greater than 0/],
  ])("%o → says why there is no plan", (patch, message) => {
    const p = previewPlan({ kind: "binary", arms: 2, alpha: 0.05, power: 0.8, minDetectableEffect: 0.1, ...patch });
    expect(p.ok).toBe(false);
    expect(!p.ok && p.message).toMatch(message);
  });
});
