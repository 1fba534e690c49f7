// A partial's plan over its dependents (docs/decisions/partial-releases.md), pure: each dependent's gate on the
// composed text, the review the partial's own covers, the shadow comparison of the dependent's live version with the
// candidate partial (or an override); the one "dependents" step and the refusal that carries them.
import { describe, expect, it } from "vitest";
import { planRefusal, releasePlan } from "./plan";
import type { DependentFacts } from "./plan-dependents";
import type { ShadowFacts } from "./shadow-facts";
import { missingBeyondApproval } from "./plan-approval";
import { planFacts } from "../../../test/plan-facts";
import { gateFacts as gate, runFact as run, shadowFacts as shadow } from "../../../test/plan-gate-facts";

const dependent = (extra: Partial<DependentFacts> = {}): DependentFacts => ({
  name: "support-reply",
  environment: "production",
  serves: 3,
  direct: true,
  gate: gate(),
  requiresReview: false,
  shadow: null,
  ...extra,
});

// shared/tone version 2 for production, where version 1 is live.
const tone = (dependents: DependentFacts[], env = {}) =>
  planFacts({ prompt: "shared/tone", version: 2, live: 1, dependents }, env);

describe("a partial's plan over its dependents", () => {
  it("asks for the dependent's gate run with the candidate partial, named as such", () => {
    const plan = releasePlan(tone([dependent()]));
    expect(plan.missing).toEqual(["dependents"]);
    const [d] = plan.dependents;
    expect(d).toMatchObject({ name: "support-reply", serves: 3, met: false });
    expect(d!.steps[0]).toMatchObject({
      id: "evaluation",
      met: false,
      action: {
        kind: "run_evaluation",
        environment: "production",
        prompt: "support-reply",
        version: 3,
        partials: { "shared/tone": 2 },
      },
    });
    expect(d!.steps[0]!.detail).toBe(
      "support-reply version 3 with shared/tone version 2 has no completed evaluation run on regression (version 2) with the gate's scorers.",
    );
    const step = plan.steps.find((s) => s.id === "dependents")!;
    expect(step.detail).toBe(
      "Releasing version 2 changes what production serves for support-reply (version 3); one of them does not pass its own rules with it yet.",
    );
    expect(planRefusal(plan).message).toBe(
      "Releasing version 2 changes what production serves for support-reply (version 3); one of them does not pass its own rules with it yet. Still needed: support-reply version 3 with shared/tone version 2 has no completed evaluation run on regression (version 2) with the gate's scorers. An approver may release it past them (confirmDependents: true).",
    );
    expect(step.action).toEqual({ kind: "confirm_dependents", prompts: ["support-reply"] });
    expect(planRefusal(plan)).toMatchObject({
      code: "conflict",
      details: { rule: "dependents", dependents: plan.dependents },
    });
  });

  it("measures the drop from the dependent as served now", () => {
    const g = gate({ run: run("r-new", 0.7), baseline: { version: 3, run: run("r-live", 0.9) } });
    const [d] = releasePlan(tone([dependent({ gate: g })])).dependents;
    expect(d!.steps[0]!.detail).toBe(
      "support-reply version 3 with shared/tone version 2 scored 70.0% on regression (version 2), below 80.0%.",
    );
    const ok = gate({ run: run("r-new", 0.88), baseline: { version: 3, run: run("r-live", 0.9) } });
    const plan = releasePlan(tone([dependent({ gate: ok })]));
    expect(plan.dependents[0]!.steps[0]!.detail).toBe(
      "support-reply version 3 with shared/tone version 2 scored 88.0% on regression (version 2) (support-reply version 3 as production serves it: 90.0%).",
    );
    expect(plan.status).toBe("ready");
  });

  it("the review of the partial covers its dependents", () => {
    const reviewed = tone([dependent({ gate: null, requiresReview: true })], { requiresReview: true });
    const waiting = releasePlan(reviewed);
    expect(waiting.missing).toEqual(["review", "dependents"]);
    expect(waiting.dependents[0]!.steps[0]).toMatchObject({ id: "review", met: false });
    // Approving the partial's review gives both: nothing is missing beyond it.
    expect(missingBeyondApproval(waiting)).toEqual([]);
    const gated = releasePlan(tone([dependent({ requiresReview: true })], { requiresReview: true }));
    expect(missingBeyondApproval(gated).map((s) => s.id)).toEqual(["dependents"]);
    const approved = releasePlan({
      ...reviewed,
      reviews: { approved: { id: "r", by: "Ana", at: "2026-11-27T00:00:00.000Z" }, pending: null },
    });
    expect(approved.status).toBe("ready");
    expect(approved.dependents[0]!.steps[0]!.detail).toBe(
      "The review of shared/tone version 2, approved by Ana, covers support-reply.",
    );
  });

  it("the dependent's shadow step reads its live version's answers with the candidate partial", () => {
    const stepOf = (s: ShadowFacts) =>
      releasePlan(tone([dependent({ gate: null, shadow: s })])).dependents[0]!.steps[0]!;
    const few = stepOf(shadow());
    expect(few).toMatchObject({
      id: "shadow",
      met: false,
      title: "A shadow comparison of support-reply with shared/tone version 2 with no significant loss (10 inputs)",
      detail:
        "support-reply version 3 with shared/tone version 2 has answered 3 of the 10 live inputs the shadow comparison needs.",
      action: {
        kind: "open_shadow",
        environment: "production",
        prompt: "support-reply",
        composition: { version: 3, partials: { "shared/tone": 2 } },
      },
    });
    const met = releasePlan(tone([dependent({ gate: null, shadow: shadow({ n: 12 }) })]));
    expect(met.status).toBe("ready");
    expect(met.dependents[0]!.steps[0]).toMatchObject({ met: true, action: null });
    expect(met.dependents[0]!.steps[0]!.detail).toBe(
      "support-reply version 3 with shared/tone version 2 answered 12 live inputs in the shadow with no scorer clearly lower than support-reply version 3 as production serves it.",
    );

    const worse = stepOf(
      shadow({ n: 40, worse: [{ name: "polite", meanDiff: -0.12, ci: [-0.2, -0.04], adjustedPValue: 0.01 }] }),
    );
    expect(worse.met).toBe(false);
    expect(worse.detail).toBe(
      "support-reply version 3 with shared/tone version 2 scores clearly lower than support-reply version 3 as production serves it in the shadow on polite by 12.0 points [4.0, 20.0] (40 inputs; paired test, Holm-adjusted).",
    );

    // Not a candidate yet: the detail says what to add, to the rule there or to a new one.
    expect(stepOf(shadow({ candidate: false, n: 0 })).detail).toBe(
      'support-reply version 3 with shared/tone version 2 is not a shadow candidate in production: add {"version": 3, "partials": {"shared/tone": 2}} to the shadow candidates of support-reply\'s online evaluation rule there (it needs 10 answered inputs).',
    );
    expect(stepOf(shadow({ candidate: false, rule: false, n: 0 })).detail).toMatch(
      /support-reply has no online evaluation rule there; create one with \{"version": 3, "partials": \{"shared\/tone": 2\}\} among its shadow candidates/,
    );

    // The override stays possible, and names what is still missing.
    const shadowed = tone([dependent({ gate: null, shadow: shadow() })]);
    expect(releasePlan(shadowed).missing).toEqual(["dependents"]);
    const overridden = releasePlan(shadowed, { confirmDependents: true });
    expect(overridden.status).toBe("ready");
    expect(overridden.steps.find((s) => s.id === "dependents")!.detail).toBe(
      "Released past the rules of support-reply (version 3) by a person's override (recorded with the deployment): support-reply version 3 with shared/tone version 2 has answered 3 of the 10 live inputs the shadow comparison needs.",
    );
  });

  it("the partial's own shadow step is judged through its dependents' shadow steps", () => {
    // Nothing answers for shared/tone on its own: its own facts never reach the minimum.
    const own = shadow({ candidate: false, n: 0 });
    const triage = (s: ShadowFacts) => dependent({ name: "triage", serves: 7, gate: null, shadow: s });
    const planOf = (ds: DependentFacts[], opts = {}) => releasePlan({ ...tone(ds), shadow: own }, opts);
    const ownStep = (p: ReturnType<typeof releasePlan>) => p.steps.find((s) => s.id === "shadow")!;

    const met = planOf([dependent({ gate: null, shadow: shadow({ n: 12 }) }), triage(shadow({ n: 10 }))]);
    expect(met).toMatchObject({ status: "ready", missing: [] });
    expect(ownStep(met)).toMatchObject({
      met: true,
      action: null,
      title: "A shadow comparison with no significant loss, through the prompts that include shared/tone (10 inputs)",
      detail:
        "shared/tone is served inside support-reply and triage: their shadow comparisons with version 2 stand for it.",
    });

    // One dependent short of inputs: the step says which and what it misses, and leaves the action to its step.
    const unmet = planOf([dependent({ gate: null, shadow: shadow({ n: 12 }) }), triage(shadow())]);
    expect(unmet.missing).toEqual(["shadow", "dependents"]);
    expect(ownStep(unmet)).toMatchObject({ met: false, action: null });
    expect(ownStep(unmet).detail).toBe(
      "shared/tone is served inside support-reply and triage: their shadow comparisons with version 2 stand for it, and triage's is not met yet (its shadow step among the dependents): triage version 7 with shared/tone version 2 has answered 3 of the 10 live inputs the shadow comparison needs.",
    );
    expect(unmet.dependents.find((d) => d.name === "triage")!.steps[0]!.action).toMatchObject({
      kind: "open_shadow",
      prompt: "triage",
    });
    expect(planRefusal(unmet)).toMatchObject({
      code: "gate_failed",
      message: expect.stringMatching(/An approver may release it past them \(confirmDependents: true\)\./),
    });

    // A gate the dependent misses leaves the shadow step met: only the dependents step is missing.
    const gated = planOf([dependent({ shadow: shadow({ n: 12 }) })]);
    expect(gated.missing).toEqual(["dependents"]);
    expect(ownStep(gated).detail).toBe(
      "shared/tone is served inside support-reply: its shadow comparison with version 2 stands for it.",
    );

    // The override of the dependents' rules covers the comparisons that stand for the partial's.
    const overridden = planOf([triage(shadow())], { confirmDependents: true });
    expect(overridden.status).toBe("ready");
    expect(ownStep(overridden).detail).toBe(
      "shared/tone is served inside triage: its shadow comparison with version 2 stands for it; a person's override released it past triage's (recorded with the deployment).",
    );
  });

  it("with no dependents, or none with a shadow step, the partial's shadow step is its own", () => {
    const own = shadow({ candidate: false, n: 0 });
    for (const ds of [[], [dependent()]]) {
      const plan = releasePlan({ ...tone(ds), shadow: own });
      expect(plan.steps.find((s) => s.id === "shadow")).toMatchObject({
        met: false,
        title: "A shadow comparison with no significant loss (10 inputs)",
        detail:
          "Version 2 is not a shadow candidate in production: name it in the online evaluation rule's shadow candidates (it needs 10 answered inputs).",
        action: { kind: "open_shadow", environment: "production" },
      });
    }
  });

  it("a dependent with no rule to meet passes; a live partial lists none", () => {
    const plan = releasePlan(tone([dependent({ gate: null })]));
    expect(plan.status).toBe("ready");
    expect(plan.steps.find((s) => s.id === "dependents")).toMatchObject({ met: true });
    expect(releasePlan({ ...tone([dependent()]), live: 2 }).dependents).toEqual([]);
    expect(releasePlan(tone([])).steps.some((s) => s.id === "dependents")).toBe(false);
  });
});
