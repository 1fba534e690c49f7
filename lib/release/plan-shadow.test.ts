// The release plan's shadow step, as a pure function of the facts (plan-shadow.ts).
import { describe, expect, it } from "vitest";
import { planRefusal, releasePlan, type PlanFacts } from "./plan";
import { planFacts as facts } from "../../test/plan-facts";

describe("releasePlan: the shadow step", () => {
  const shadow = (extra: Partial<NonNullable<PlanFacts["shadow"]>> = {}) => ({
    minInputs: 10,
    candidate: true,
    n: 3,
    worse: [],
    ...extra,
  });

  it("needs enough inputs, then no significant loss, and refuses as gate_failed", () => {
    const few = releasePlan(facts({ shadow: shadow() }));
    expect(few.missing).toEqual(["shadow"]);
    expect(few.steps[0]).toMatchObject({
      title: "A shadow comparison with no significant loss (10 inputs)",
      detail: "Version 4 has answered 3 of the 10 live inputs the shadow comparison needs.",
      action: { kind: "open_shadow", environment: "production" },
    });
    expect(releasePlan(facts({ shadow: shadow({ n: 12 }) }))).toMatchObject({ status: "ready", missing: [] });
    const worse = releasePlan(
      facts({
        shadow: shadow({
          n: 40,
          worse: [{ name: "polite", meanDiff: -0.061, ci: [-0.099, -0.023], adjustedPValue: 0.003 }],
        }),
      }),
    );
    expect(worse.steps[0]!.detail).toBe(
      "Version 4 is significantly worse than live version 2 in the shadow on polite by 6.1 points [2.3, 9.9] (40 inputs, Holm-adjusted).",
    );
    expect(planRefusal(worse)).toMatchObject({
      code: "gate_failed",
      details: { rule: "requiresShadow", shadow: { n: 40 } },
    });
    expect(releasePlan(facts({ shadow: shadow({ candidate: false, n: 0 }) })).steps[0]!.detail).toMatch(
      /^Version 4 is not a shadow candidate in production: name it/,
    );
  });

  it("lets an experiment serve a version the environment served before", () => {
    const f = facts({ shadow: shadow(), wasLiveIn: ["production"] });
    expect(releasePlan(f, { purpose: "experiment" }).missing).toEqual([]);
    expect(releasePlan(f).missing).toEqual(["shadow"]);
  });
});
