// The rule an event naming an arm is judged by (docs/decisions/unattributed-events.md): counted only for a subject
// served that arm, in the phase's window; the composition is the phase's, whatever the event said.
import { describe, expect, it } from "vitest";
import { clockSkewMs, judgeClaim, type ArmClaim, type ServedFacts } from "./served-claims";

const start = new Date("2026-11-01T10:00:00Z");
const claim = (over: Partial<ArmClaim> = {}): ArmClaim => ({
  experimentId: "x",
  phase: 1,
  variant: "B",
  subject: "s",
  at: new Date(start.getTime() + 60_000),
  exposure: false,
  ...over,
});
const facts = (over: Partial<ServedFacts> = {}): ServedFacts => ({
  phase: 1,
  phaseStartedAt: start,
  stoppedAt: null,
  exposed: null,
  assigned: "B",
  compositions: { A: "tone@1", B: "tone@1" },
  ...over,
});

describe("judgeClaim", () => {
  it("counts a subject assigned the arm, with the phase's composition", () => {
    expect(judgeClaim(claim(), facts())).toEqual({ counted: true, phase: 1, partials: "tone@1" });
  });

  it("takes a recorded exposure over the recomputed assignment", () => {
    expect(judgeClaim(claim(), facts({ exposed: "A", assigned: "B" }))).toMatchObject({
      counted: false,
      reason: "other_arm",
      served: "A",
    });
    expect(judgeClaim(claim(), facts({ exposed: "B", assigned: null })).counted).toBe(true);
  });

  it("counts apart a subject assigned another arm, or none", () => {
    expect(judgeClaim(claim(), facts({ assigned: "A" }))).toMatchObject({ reason: "other_arm", served: "A" });
    expect(judgeClaim(claim(), facts({ assigned: null }))).toMatchObject({ reason: "never_exposed", served: null });
  });

  it("counts apart what is dated before the phase began (less clock skew) or after the stop", () => {
    const before = (ms: number) => claim({ at: new Date(start.getTime() - ms) });
    expect(judgeClaim(before(clockSkewMs + 1), facts())).toMatchObject({ counted: false, reason: "before_start" });
    expect(judgeClaim(before(clockSkewMs - 1), facts()).counted).toBe(true);
    expect(judgeClaim(claim(), facts({ phase: null, phaseStartedAt: null }))).toMatchObject({
      reason: "before_start",
      phase: 0,
    });
    const stoppedAt = new Date(start.getTime() + 30_000);
    expect(judgeClaim(claim(), facts({ stoppedAt }))).toMatchObject({ reason: "after_stop", phase: 1 });
    expect(judgeClaim(claim({ at: new Date(stoppedAt.getTime() - 1) }), facts({ stoppedAt })).counted).toBe(true);
  });

  it("checks only an exposure's window (checkExposures refuses a wrong arm)", () => {
    expect(judgeClaim(claim({ exposure: true }), facts({ assigned: "A" })).counted).toBe(true);
    const stoppedAt = new Date(start.getTime() + 30_000);
    expect(judgeClaim(claim({ exposure: true }), facts({ stoppedAt }))).toMatchObject({ reason: "after_stop" });
  });

  it("keeps the event's composition when the phase recorded none", () => {
    expect(judgeClaim(claim(), facts({ compositions: null }))).toMatchObject({ counted: true, partials: null });
  });
});
