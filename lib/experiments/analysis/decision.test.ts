// The decision with CUPED: when the adjustment applies to the primary metric, the winner and the verdict
// read the adjusted comparison and say so; when it does not, they are what they were without covariates.
// The rules that stop a call (fixed horizon, SRM, a breached guardrail) stop it with CUPED too.
import { describe, expect, it } from "vitest";
import type { CupedSubject } from "../../stats/cuped";
import { generators } from "../../stats/random";
import { fromValues, type SufficientStats } from "../../stats/summary";
import { analyze, type AnalysisDefinition, type ArmInput } from "./analyze";
import { momentsOfPairs } from "./covariates";

/**
 * Subjects with a lasting level x (their pre-exposure value) and an outcome y = x + small noise + effect:
 * the level explains almost all of y, so CUPED removes most of the variance. `shift` moves the levels of
 * the variant's subjects (a chance imbalance that CUPED corrects).
 */
function subjects(seed: string, n: number, o: { effect?: number; shift?: number; history?: boolean } = {}) {
  const g = generators(seed);
  return Array.from({ length: n }, (): CupedSubject => {
    const x = g.normal(50 + (o.shift ?? 0), 10);
    return { x: o.history === false ? null : x, y: x + g.normal(0, 2) + (o.effect ?? 0) };
  });
}

const def: AnalysisDefinition = {
  mode: "sequential",
  variants: [
    { key: "A", weight: 0.5 },
    { key: "B", weight: 0.5 },
  ],
  primaryMetric: { name: "quality", kind: "continuous", goal: "increase" },
};

const arms = (a: CupedSubject[], b: CupedSubject[], extra: { A?: number[]; B?: number[] } = {}): ArmInput[] => [
  { variant: "A", subjects: a.length, metrics: { quality: fromValues(a.map((s) => s.y)), ...guard(extra.A) } },
  { variant: "B", subjects: b.length, metrics: { quality: fromValues(b.map((s) => s.y)), ...guard(extra.B) } },
];
const guard = (values?: number[]): Record<string, SufficientStats> =>
  values ? { latency_ms: fromValues(values) } : {};
const covariates = (a: CupedSubject[], b: CupedSubject[], lookbackDays = 14) => ({
  lookbackDays,
  moments: momentsOfPairs(
    new Map([
      ["A", new Map([["quality", a]])],
      ["B", new Map([["quality", b]])],
    ]),
  ),
});

// B is better by 2 on a level of 50 with sd 10: too little for the unadjusted always-valid interval at 200
// per arm, plenty once each subject's own level is taken out.
const a = subjects("decision-A", 200);
const b = subjects("decision-B", 200, { effect: 2 });

describe("analyze: the decision with CUPED", () => {
  it("names the winner the adjusted comparison finds, and the verdict says it is CUPED-adjusted", () => {
    const plain = analyze(def, arms(a, b));
    const withCuped = analyze(def, arms(a, b), { covariates: covariates(a, b) });
    const m = withCuped.comparisons[0]!.metrics.quality!;
    expect(m.significant).toBe(false);
    expect(m.adjusted!.significant).toBe(true);
    expect(plain.winner).toBeNull();
    expect(plain.verdict).toContain("Not enough evidence yet of a difference between B and A on quality");

    expect(withCuped.winner).toBe("B");
    const lift = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;
    const adj = m.adjusted!;
    expect(withCuped.verdict).toContain(
      `B is better than A on quality: ${lift(adj.lift!)} (95% always-valid CI ${lift(adj.ci![0])} to ${lift(adj.ci![1])}), ` +
        `CUPED-adjusted by each subject's quality in the 14 days before exposure (400 of 400 subjects with history; ` +
        `variance ${Math.round(adj.varianceReduction)}% smaller; unadjusted ${lift(m.lift!)}, not yet significant).`,
    );
    expect(adj.varianceReduction).toBeGreaterThan(90);
    expect(withCuped.verdict).toContain("Recommendation: ship B.");
  });

  it("changes nothing when CUPED cannot apply (no subject has history)", () => {
    const noHistory = (s: CupedSubject[]) => s.map((x) => ({ ...x, x: null }));
    const plain = analyze(def, arms(a, b));
    const r = analyze(def, arms(a, b), { covariates: covariates(noHistory(a), noHistory(b)) });
    expect(r.comparisons[0]!.metrics.quality!.adjusted).toBeUndefined();
    expect(r.comparisons[0]!.metrics.quality!.adjustedReason).toMatch(/before its exposure/);
    expect(r.winner).toBe(plain.winner);
    expect(r.verdict).toBe(plain.verdict);
  });

  it("takes no winner from a chance imbalance the adjustment removes", () => {
    // No effect, but B's subjects happen to start 5 higher: significant unadjusted, nothing once adjusted.
    const a0 = subjects("imbalance-A", 400);
    const b0 = subjects("imbalance-B", 400, { shift: 5 });
    expect(analyze(def, arms(a0, b0)).winner).toBe("B");
    const r = analyze(def, arms(a0, b0), { covariates: covariates(a0, b0) });
    expect(r.comparisons[0]!.metrics.quality!.significant).toBe(true);
    expect(r.winner).toBeNull();
    expect(r.verdict).toContain("Not enough evidence yet of a difference between B and A on quality");
    expect(r.verdict).toContain("significant only unadjusted)");
    expect(r.verdict).not.toContain("Recommendation");
  });

  it("keeps the control when the adjusted comparison says the variant is worse", () => {
    const worse = subjects("decision-worse", 200, { effect: -2 });
    const r = analyze(def, arms(a, worse), { covariates: covariates(a, worse) });
    expect(r.winner).toBe("A");
    expect(r.verdict).toMatch(/B is worse than A on quality: -\d\.\d% .*CUPED-adjusted/);
    expect(r.verdict).toContain("Recommendation: keep A.");
  });

  it("still calls nothing before a fixed experiment's planned sample", () => {
    const fixed = { ...def, mode: "fixed" as const, plannedSamplePerArm: 1000 };
    const r = analyze(fixed, arms(a, b), { covariates: covariates(a, b) });
    expect(r.comparisons[0]!.metrics.quality!.adjusted!.pValue).toBeLessThan(0.001);
    expect(r.comparisons[0]!.metrics.quality!.adjusted!.significant).toBe(false);
    expect(r.winner).toBeNull();
    expect(r.verdict).toContain("Not enough data yet: 200 of 1,000 planned subjects per variant");
    expect(r.verdict).not.toMatch(/better|CUPED|Recommendation/);

    const ready = analyze({ ...fixed, plannedSamplePerArm: 200 }, arms(a, b), { covariates: covariates(a, b) });
    expect(ready.winner).toBe("B");
    expect(ready.verdict).toContain("(95% CI ");
    expect(ready.verdict).toContain("unadjusted +");
  });

  it("names no winner on a sample ratio mismatch, adjusted or not", () => {
    const input = arms(a, b);
    input[1] = { ...input[1]!, subjects: 300 }; // 200 against 300 on a 50/50 split
    const r = analyze(def, input, { covariates: covariates(a, b) });
    expect(r.srm.ok).toBe(false);
    expect(r.comparisons[0]!.metrics.quality!.adjusted!.significant).toBe(true);
    expect(r.winner).toBeNull();
  });

  it("reads guardrails unadjusted, and a breach still blocks the adjusted winner", () => {
    const withGuard = {
      ...def,
      guardrails: [{ name: "latency_ms", kind: "continuous" as const, direction: "increase_is_bad" as const }],
    };
    const latency = (mean: number) => Array.from({ length: 200 }, (_, i) => mean + (i % 10));
    const r = analyze(withGuard, arms(a, b, { A: latency(100), B: latency(200) }), { covariates: covariates(a, b) });
    expect(r.guardrails[0]!.breached).toBe(true);
    expect(r.winner).toBeNull();
    expect(r.verdict).toContain("Guardrail breached: B increases latency_ms");
  });

  it("decides with the experiment's look-back when another one is shown", () => {
    const none = (s: CupedSubject[]) => s.map((x) => ({ ...x, x: null }));
    const r = analyze(def, arms(a, b), {
      covariates: covariates(a, b, 14),
      shownCovariates: covariates(none(a), none(b), 3),
    });
    const m = r.comparisons[0]!.metrics.quality!;
    expect(m.adjusted).toBeUndefined();
    expect(m.adjustedReason).toMatch(/before its exposure/);
    expect(r.winner).toBe("B");
    expect(r.verdict).toContain("in the 14 days before exposure");
  });
});
