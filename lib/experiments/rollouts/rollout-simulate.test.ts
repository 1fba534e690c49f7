import { describe, expect, it } from "vitest";
import { SIMULATION_STEPS, simulateRollouts } from "./rollout-simulate";

// One run of 1,000 rollouts and 1,000 one-step releases per scenario (about 4 s): enough that 5 % is far
// outside the noise of the A/A share (at ~2.5 % its sd over 1,000 runs is 0.5 points), and that the
// regressions' means are apart by many standard errors. Each rollout's guardrails are read over all its steps.
const r = simulateRollouts({ runs: 1000 });
const [moderate, severe] = r.regressions;

describe("simulateRollouts: harmless versions (A/A)", () => {
  it("runs the settings asked for", () => {
    expect(r.runs).toBe(1000);
    expect(r.steps).toEqual(SIMULATION_STEPS);
    expect(r.regressions.map((x) => x.errorRate)).toEqual([0.075, 0.15]);
  });
  it("rolls back at most α of them: one always-valid sequence over every look at every step", () => {
    expect(r.aa.rolledBack).toBeLessThanOrEqual(r.alpha);
    expect(r.aa.rollbackAtStep.reduce((s, n) => s + n, 0)).toBe(Math.round(r.aa.rolledBack * r.runs));
    // The baseline's watch is the same test: it must be honest too, or the comparison below means nothing.
    expect(r.aa.oneStepRolledBack).toBeLessThanOrEqual(r.alpha);
  });
  it("brings every other one to 100 %, never faster than the steps' minimum minutes", () => {
    expect(r.aa.completed + r.aa.rolledBack).toBeCloseTo(1, 10);
    expect(r.plannedMinutes).toBe(90);
    expect(r.aa.minutesToFull.median).toBeGreaterThanOrEqual(r.plannedMinutes);
    expect(r.aa.minutesToFull.p95).toBeGreaterThanOrEqual(r.aa.minutesToFull.median);
    // At 40 subjects a minute the first step's 200 subjects per arm (the minimum sample) on 5 % take ~100 minutes, not 30.
    expect(r.aa.minutesToFull.median).toBeGreaterThan(r.plannedMinutes);
  });
});

describe("simulateRollouts: bad versions against a one-step release with automatic rollback", () => {
  it("errors 5 % → 15 %: rolls back nearly every run, with fewer subjects on the bad version than one step", () => {
    expect(severe!.rollout.rolledBack).toBeGreaterThan(0.9);
    expect(severe!.rollout.neverDetected).toBe(Math.round((1 - severe!.rollout.rolledBack) * r.runs));
    expect(severe!.rollout.badSubjects.median).toBeLessThan(severe!.oneStep.badSubjects.median);
    expect(severe!.rollout.badSubjects.mean).toBeLessThan(severe!.oneStep.badSubjects.mean);
    // Mostly caught at the first step, where 5 % of the traffic sees it.
    expect(severe!.rollout.rollbackAtStep[0]).toBeGreaterThan(r.runs / 2);
    // The rollout's price: it takes far longer to decide than a release watched at full traffic.
    expect(severe!.rollout.minutesToRollback.median).toBeGreaterThan(severe!.oneStep.minutesToRollback.median);
  });
  it("errors 5 % → 7.5 %: evidence builds over the steps, but one step with its watch exposes fewer on average", () => {
    // Pooled steps: more rollbacks at the 50 % step than at the 5 % one, as the sequence keeps growing.
    const [first, , third] = moderate!.rollout.rollbackAtStep;
    expect(third!).toBeGreaterThan(first!);
    // Still fewer caught within the horizon than by one step, whose evidence grows at full traffic.
    expect(moderate!.rollout.rolledBack).toBeLessThan(moderate!.oneStep.rolledBack);
    // Yet fewer subjects on average: each step holds until 200 subjects per arm, so the first steps see more of
    // the evidence before the share grows, though the missed rollouts put everyone on the bad version. (The median
    // is no fair summary here: the exposure is bimodal, caught early or never, and its median jumps between them.)
    expect(moderate!.rollout.badSubjects.mean).toBeLessThan(moderate!.oneStep.badSubjects.mean);
    // Never detected: exposed until the 4-hour horizon, everyone after the rollout completes.
    expect(moderate!.rollout.badSubjects.p95).toBeLessThanOrEqual(r.horizonMinutes * r.trafficPerMinute);
    expect(moderate!.oneStep.badSubjects.p95).toBeLessThanOrEqual(r.horizonMinutes * r.trafficPerMinute);
  });
  it("is deterministic for a seed", () => {
    const options = { runs: 5, seed: 7, regressedErrorRates: [0.15] };
    expect(simulateRollouts(options)).toEqual(simulateRollouts(options));
  });
});
