// The release plan's shadow step, as a pure function of the facts (plan-shadow.ts).
import { describe, expect, it } from "vitest";
import { planRefusal, releasePlan, type PlanFacts } from "./plan";
import { planFacts as facts } from "../../../test/plan-facts";
import { shadowFacts } from "../../../test/plan-gate-facts";

describe("releasePlan: the shadow step", () => {
  const shadow = (extra: Partial<NonNullable<PlanFacts["shadow"]>> = {}) => shadowFacts(extra);
  /** The plan of a version whose shadow comparison reads `extra`. */
  const planWith = (extra: Partial<NonNullable<PlanFacts["shadow"]>> = {}) =>
    releasePlan(facts({ shadow: shadow(extra) }));

  it("needs enough inputs, then no significant loss, and refuses as gate_failed", () => {
    const few = planWith();
    expect(few.missing).toEqual(["shadow"]);
    expect(few.steps[0]).toMatchObject({
      title: "A shadow comparison with no significant loss (10 inputs)",
      detail: "Version 4 has answered 3 of the 10 live inputs the shadow comparison needs.",
      action: { kind: "open_shadow", environment: "production" },
    });
    expect(planWith({ n: 12 })).toMatchObject({ status: "ready", missing: [] });
    const worse = planWith({
      n: 40,
      worse: [{ name: "polite", meanDiff: -0.061, ci: [-0.099, -0.023], adjustedPValue: 0.003 }],
    });
    expect(worse.steps[0]!.detail).toBe(
      "Version 4 scores clearly lower than live version 2 in the shadow on polite by 6.1 points [2.3, 9.9] (40 inputs; paired test, Holm-adjusted).",
    );
    expect(planRefusal(worse)).toMatchObject({
      code: "gate_failed",
      details: { rule: "requiresShadow", shadow: { n: 40 } },
    });
    expect(planWith({ candidate: false, n: 0 }).steps[0]!.detail).toMatch(
      /^Version 4 is not a shadow candidate in production: name it/,
    );
  });

  it.each([
    {
      // 40 answers, but the judge could score only 4 of them on either side: 4 inputs, not 40.
      case: "too few pairs on one scorer",
      extra: {
        answered: 40,
        n: 4,
        scorers: [
          { name: "polite", pairs: 4, errorsAsLosses: 0 },
          { name: "short", pairs: 40, errorsAsLosses: 0 },
        ],
      },
      plan: { missing: ["shadow"] },
      detail:
        "Version 4 answered 40 live inputs in the shadow, but only 4 can be compared with version 2 on every scorer, of the 10 the shadow comparison needs (pairs per scorer: polite 4, short 40).",
    },
    {
      // The judge failed on every one of version 4's answers and scored the live ones: 40 losses.
      case: "every answer of the version a scorer error",
      extra: {
        answered: 40,
        n: 40,
        scorers: [{ name: "polite", pairs: 40, errorsAsLosses: 40 }],
        worse: [{ name: "polite", meanDiff: -0.8, ci: [-0.8, -0.8] as [number, number], adjustedPValue: 0.0001 }],
      },
      plan: { missing: ["shadow"] },
      detail:
        "Version 4 scores clearly lower than live version 2 in the shadow on polite by 80.0 points [80.0, 80.0] (40 inputs; paired test, Holm-adjusted; pairs per scorer: polite 40 (40 scorer errors on version 4's answers counted as losses)).",
    },
    {
      case: "enough pairs on every scorer",
      extra: {
        answered: 14,
        n: 12,
        scorers: [
          { name: "polite", pairs: 12, errorsAsLosses: 1 },
          { name: "short", pairs: 14, errorsAsLosses: 0 },
        ],
      },
      plan: { status: "ready", missing: [] },
      detail:
        "Version 4 answered 14 live inputs in the shadow, 12 compared on every scorer (pairs per scorer: polite 12 (1 scorer error on version 4's answers counted as loss), short 14), with no scorer clearly lower than version 2.",
    },
  ])("counts inputs compared on every scorer, and says each scorer's pairs: $case", ({ extra, plan, detail }) => {
    const p = planWith(extra);
    expect(p).toMatchObject(plan);
    expect(p.steps[0]!.detail).toBe(detail);
  });

  it("is the version's own where nothing includes the prompt (plan-partial-shadow.ts judges a partial's)", () => {
    const own = releasePlan(facts({ shadow: shadow(), dependents: [] }));
    expect(own.steps).toEqual(planWith().steps);
    expect(own.steps[0]).toMatchObject({ met: false, action: { kind: "open_shadow", environment: "production" } });
    expect(own.steps[0]!.title).toBe("A shadow comparison with no significant loss (10 inputs)");
  });

  it("lets an experiment serve a version the environment served before", () => {
    const f = facts({ shadow: shadow(), wasLiveIn: ["production"] });
    expect(releasePlan(f, { purpose: "experiment" }).missing).toEqual([]);
    expect(releasePlan(f).missing).toEqual(["shadow"]);
  });
});
