// The rollout rule (rollout-decide.ts), case by case: roll back at any step on a significant regression or an
// interval wholly beyond the margin; wait on time, subjects, and too few subjects per arm to tell, saying which;
// never advance on a guardrail that has data on one version only; name the guardrails nobody sends.
import { describe, expect, it } from "vitest";
import { decideRollout, type GuardrailInput } from "./rollout-decide";

const steps = [
  { percent: 5, minMinutes: 60, minSubjects: 100 },
  { percent: 25, minMinutes: 60, minSubjects: 250 },
  { percent: 100, minMinutes: 0, minSubjects: 0 },
];
const started = "2026-01-01T00:00:00.000Z";
const state = (extra: Partial<Parameters<typeof decideRollout>[0]> = {}) => ({
  steps,
  step: 0,
  stepStartedAt: started,
  paused: false,
  margin: null,
  minSamplePerArm: 200,
  ...extra,
});
const after = (minutes: number) => new Date(Date.parse(started) + minutes * 60_000);
const arms = (live: number, next: number) => ({
  live: { subjects: live, events: live * 2 },
  new: { subjects: next, events: next * 3 },
});
const g = (extra: Partial<GuardrailInput> = {}): GuardrailInput => ({
  metric: "latency_ms",
  direction: "increase_is_bad",
  lift: 0.01,
  ci: [-0.02, 0.04],
  significant: false,
  arms: arms(3000, 300),
  ...extra,
});
const none = (metric: string) => g({ metric, lift: null, ci: null, arms: arms(0, 0) });

describe("decideRollout", () => {
  it("rolls back on a significant regression at any step, before its minimums", () => {
    const d = decideRollout(state(), after(1), {
      newSubjects: 3,
      guardrails: [g({ significant: true, lift: 0.5, ci: [0.2, 0.8], arms: arms(40, 3) })],
    });
    expect(d).toMatchObject({ action: "rollback", metric: "latency_ms" });
    expect(d.reason).toBe(
      "latency_ms is significantly worse on the new version at step 1 of 3 (5 %): 50.0% higher on the new version (likely between 20.0% and 80.0% higher)",
    );
  });

  it("rolls back when an interval lies wholly beyond the margin, though not significant after Holm", () => {
    const beyond = g({ lift: 0.3, ci: [0.12, 0.5] });
    const d = decideRollout(state({ margin: 0.1 }), after(1), { newSubjects: 3, guardrails: [beyond] });
    expect(d).toMatchObject({ action: "rollback", metric: "latency_ms" });
    expect(d.reason).toMatch(/is worse by more than the margin of 10\.0% on the new version at step 1/);
    // The bad side of a decrease-is-bad metric is below: [−50 %, −12 %] lies beyond a 10 % margin.
    const thumbs = g({ metric: "thumbs", direction: "decrease_is_bad", lift: -0.3, ci: [-0.5, -0.12] });
    expect(decideRollout(state({ margin: 0.1 }), after(1), { newSubjects: 3, guardrails: [thumbs] }).action).toBe(
      "rollback",
    );
    // An interval that reaches inside the margin only waits for more data.
    const inside = g({ lift: 0.2, ci: [0.05, 0.4] });
    expect(decideRollout(state({ margin: 0.1 }), after(90), { newSubjects: 300, guardrails: [inside] })).toMatchObject({
      action: "wait",
    });
  });

  it("waits for its minutes and its subjects on the new version", () => {
    expect(decideRollout(state(), after(30), { newSubjects: 300, guardrails: [g()] }).reason).toBe(
      "step 1 of 3 (5 %) has run 30 of its 60 minutes",
    );
    expect(decideRollout(state(), after(90), { newSubjects: 20, guardrails: [g()] }).reason).toBe(
      "step 1 of 3 (5 %) has 20 of its 100 subjects on the new version",
    );
  });

  it("says it waits for data while no guardrail has any", () => {
    const d = decideRollout(state(), after(90), { newSubjects: 120, guardrails: [none("latency_ms"), none("thumbs")] });
    expect(d).toEqual({
      action: "wait",
      reason: "waiting for data: no guardrail has a value on either version yet (latency_ms, thumbs)",
    });
  });

  it("never advances on too few subjects to tell, naming the guardrail, the arm and what it read", () => {
    // The demo's case: the new version's events never counted, the live one's did.
    const oneSided = g({ lift: null, ci: null, arms: arms(180, 0) });
    expect(decideRollout(state(), after(90), { newSubjects: 120, guardrails: [oneSided] }).reason).toBe(
      "too few subjects to tell: latency_ms has 0 of the 200 subjects per arm a step needs on the new version " +
        "(latency_ms: 180 subjects (360 events) on the live version, 0 (0) on the new one)",
    );
    const few = [g({ arms: arms(3000, 20) }), g({ metric: "cost_usd", arms: arms(3000, 150) })];
    expect(decideRollout(state(), after(90), { newSubjects: 120, guardrails: few }).reason).toBe(
      "too few subjects to tell: latency_ms has 20 of the 200 subjects per arm a step needs on the new version " +
        "(latency_ms: 3,000 subjects (6,000 events) on the live version, 20 (60) on the new one); 1 more guardrail short too",
    );
    // The minimum is the rollout's own.
    expect(decideRollout(state({ minSamplePerArm: 10 }), after(90), { newSubjects: 120, guardrails: few }).action).toBe(
      "advance",
    );
  });

  it("advances once every guardrail with data has its minimum, naming those nobody sends", () => {
    const d = decideRollout(state(), after(90), { newSubjects: 300, guardrails: [g(), none("thumbs")] });
    expect(d).toMatchObject({ action: "advance", to: 1 });
    expect(d.reason).toBe(
      "step 1 of 3 (5 %) met: no guardrail worse (latency_ms 1.0% higher on the new version (likely between 2.0% lower and 4.0% higher)); not watched, no data on either version: thumbs",
    );
    expect(decideRollout(state({ step: 1 }), after(90), { newSubjects: 300, guardrails: [g()] }).action).toBe(
      "complete",
    );
  });

  it("does nothing while paused, not even roll back", () => {
    const bad = g({ significant: true, ci: [0.2, 0.8] });
    expect(decideRollout(state({ paused: true }), after(90), { newSubjects: 300, guardrails: [bad] })).toEqual({
      action: "wait",
      reason: "paused by a person",
    });
  });
});
