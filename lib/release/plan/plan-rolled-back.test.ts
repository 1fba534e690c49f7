import { describe, expect, it } from "vitest";
import { planRefusal, releasePlan } from "./plan";
import { personConfirmed } from "./plan-rolled-back";
import { planFacts } from "../../../test/plan-facts";

const rollback = {
  at: "2026-11-26T22:10:31.000Z",
  by: "online evaluation",
  reason: "thanks fell from 90.0% to 10.0%",
  automatic: true,
  toVersion: 2,
};

describe("a rolled-back version stays rolled back", () => {
  it("is the plan's first step, naming the rollback, until a person confirms", () => {
    const plan = releasePlan(planFacts({ rolledBack: rollback }));
    expect(plan.status).toBe("blocked");
    expect(plan.missing).toEqual(["rolled_back"]);
    expect(plan.steps[0]).toMatchObject({
      id: "rolled_back",
      met: false,
      detail:
        "Version 4 was rolled back in production on 2026-11-26 22:10 UTC automatically by online evaluation, back to version 2 (“thanks fell from 90.0% to 10.0%”). Only a person who confirms it may release it there again; automation never does.",
      action: { kind: "confirm_rolled_back" },
    });
    const refusal = planRefusal(plan);
    expect([refusal.code, refusal.details.field]).toEqual(["rolled_back", "confirmRolledBack"]);
    expect(refusal.message).toContain("the API takes confirmRolledBack: true from a person");

    const confirmed = releasePlan(planFacts({ rolledBack: rollback }), { confirmRolledBack: true });
    expect(confirmed.status).toBe("ready");
    expect(confirmed.steps[0]!.detail).toContain("A person confirmed releasing it there again.");
  });

  it("comes before every other rule, and for an experiment too (a rollback's version was served before)", () => {
    const f = planFacts({
      rolledBack: { ...rollback, automatic: false, by: "ana@acme.test" },
      wasLiveIn: ["production"],
    });
    const plan = releasePlan(f, { purpose: "experiment" });
    expect(plan.missing).toEqual(["rolled_back"]);
    expect(plan.steps[0]!.detail).toContain("by ana@acme.test");
    expect(releasePlan({ ...f, environment: { ...f.environment, requiresReview: true } }).missing).toEqual([
      "rolled_back",
      "review",
    ]);
  });

  it("does not apply to the version live now", () => {
    expect(releasePlan(planFacts({ rolledBack: rollback, live: 4 })).status).toBe("live");
  });

  it("takes a confirmation from a person or a person's key, never from a job", () => {
    expect(personConfirmed({ type: "user", id: "u", label: "ana", role: "approver" }, true)).toBe(true);
    expect(personConfirmed({ type: "api_key", id: "k", label: "ci", scope: "admin" }, true)).toBe(true);
    expect(personConfirmed({ type: "system", label: "auto-promote" }, true)).toBe(false);
    expect(personConfirmed({ type: "user", id: "u", label: "ana", role: "approver" }, false)).toBe(false);
  });
});
