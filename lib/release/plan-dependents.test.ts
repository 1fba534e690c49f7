// A partial's plan over its dependents (issue 42), pure: each dependent's gate on the composed text, the
// review the partial's own covers, the shadow rule only an override passes; the one "dependents" step and
// the refusal that carries them.
import { describe, expect, it } from "vitest";
import { planRefusal, releasePlan, type GateFacts } from "./plan";
import type { DependentFacts } from "./plan-dependents";
import { missingBeyondApproval } from "./plan-approval";
import { planFacts } from "../../test/plan-facts";

const gate = (extra: Partial<GateFacts> = {}): GateFacts => ({
  mode: "threshold",
  paired: null,
  dataset: { id: "ds-1", name: "regression" },
  datasetVersion: 2,
  pinned: false,
  currentVersion: 2,
  items: 10,
  minScore: 0.8,
  maxDrop: 0.05,
  scorers: [],
  run: null,
  inProgress: null,
  outdated: null,
  baseline: null,
  judges: [],
  ...extra,
});

const run = (id: string, score: number) => ({
  id,
  status: "completed" as const,
  score,
  datasetVersion: 2,
  done: 10,
  total: 10,
  failedItems: 0,
  firstFailure: null,
});

const dependent = (extra: Partial<DependentFacts> = {}): DependentFacts => ({
  name: "support-reply",
  environment: "production",
  serves: 3,
  direct: true,
  gate: gate(),
  requiresReview: false,
  requiresShadow: false,
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

  it("the review of the partial covers its dependents; shadow needs an override", () => {
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

    const shadowed = tone([dependent({ gate: null, requiresShadow: true })]);
    expect(releasePlan(shadowed).missing).toEqual(["dependents"]);
    const overridden = releasePlan(shadowed, { confirmDependents: true });
    expect(overridden.status).toBe("ready");
    expect(overridden.steps.find((s) => s.id === "dependents")!.detail).toMatch(
      /^Released past the rules of support-reply \(version 3\) by a person's override/,
    );
  });

  it("a dependent with no rule to meet passes; a live partial lists none", () => {
    const plan = releasePlan(tone([dependent({ gate: null })]));
    expect(plan.status).toBe("ready");
    expect(plan.steps.find((s) => s.id === "dependents")).toMatchObject({ met: true });
    expect(releasePlan({ ...tone([dependent()]), live: 2 }).dependents).toEqual([]);
    expect(releasePlan(tone([])).steps.some((s) => s.id === "dependents")).toBe(false);
  });
});
