// The release plan as a table: every rule alone and combined, met and missing, with the action each
// missing step offers. Pure (no database): facts in, plan out.
import { describe, expect, it } from "vitest";
import { planRefusal, releasePlan, type GateFacts, type PlanFacts } from "./plan";
import { planFacts } from "../../../test/plan-facts";
import { gateFacts as gate, runFact as run } from "../../../test/plan-gate-facts";

const facts = planFacts;

const review = { id: "r-1", by: "Ana", at: "2026-11-23T10:00:00.000Z" };
const breaking = [{ key: "variable.added:order_id", message: "New required variable order_id." }];

describe("releasePlan: one rule at a time", () => {
  it.each<[string, PlanFacts, string[], unknown[]]>([
    ["no rules", facts(), [], []],
    [
      "live in staging first: missing",
      facts({}, { requiresLiveIn: "staging" }),
      ["live_in"],
      [{ kind: "promote", environment: "staging", version: 4 }],
    ],
    [
      "live in staging first: met (was live there)",
      facts({ wasLiveIn: ["staging"] }, { requiresLiveIn: "staging" }),
      [],
      [],
    ],
    [
      "review: nobody asked",
      facts({}, { requiresReview: true }),
      ["review"],
      [{ kind: "request_review", environment: "production", version: 4 }],
    ],
    [
      "review: pending",
      facts({ reviews: { approved: null, pending: review } }, { requiresReview: true }),
      ["review"],
      [{ kind: "decide_review", review: "r-1" }],
    ],
    ["review: approved", facts({ reviews: { approved: review, pending: null } }, { requiresReview: true }), [], []],
    [
      "gate: no run",
      facts({ gate: gate() }),
      ["evaluation"],
      [{ kind: "run_evaluation", environment: "production", version: 4, dataset: "ds-1", datasetVersion: 2 }],
    ],
    [
      "gate: a run in progress",
      facts({ gate: gate({ inProgress: run("q-1", null, { status: "running", done: 3 }) }) }),
      ["evaluation"],
      [{ kind: "wait_for_run", run: "q-1" }],
    ],
    [
      "gate: below the minimum (nothing to do but change the version)",
      facts({ gate: gate({ run: run("a", 0.7) }) }),
      ["evaluation"],
      [null],
    ],
    ["gate: passes, no baseline", facts({ gate: gate({ run: run("a", 0.9) }) }), [], []],
    [
      "gate: passes the minimum but drops too far below the live version",
      facts({ gate: gate({ run: run("a", 0.85), baseline: { version: 2, run: run("b", 0.95) } }) }),
      ["evaluation"],
      [null],
    ],
    [
      "gate: within the allowed drop",
      facts({ gate: gate({ run: run("a", 0.92), baseline: { version: 2, run: run("b", 0.95) } }) }),
      [],
      [],
    ],
    [
      "gate: a run with no score",
      facts({ gate: gate({ run: run("a", null) }) }),
      ["evaluation"],
      [{ kind: "run_evaluation", environment: "production", version: 4, dataset: "ds-1", datasetVersion: 2 }],
    ],
    [
      "breaking change to a protected environment",
      facts({ breaking }, { protected: true }),
      ["breaking"],
      [{ kind: "confirm_breaking", keys: ["variable.added:order_id"] }],
    ],
    ["breaking change to an unprotected environment: no step", facts({ breaking }), [], []],
    ["breaking change where nothing is live: no step", facts({ breaking, live: null }, { protected: true }), [], []],
  ])("%s", (_name, f, missing, actions) => {
    const plan = releasePlan(f);
    expect(plan.missing).toEqual(missing);
    expect(plan.status).toBe(missing.length ? "blocked" : "ready");
    expect(plan.steps.filter((s) => !s.met).map((s) => s.action)).toEqual(actions);
  });
});

describe("releasePlan: rules combined", () => {
  const all = facts({ gate: gate(), breaking }, { protected: true, requiresReview: true, requiresLiveIn: "staging" });

  it("lists every missing step in order, each with its action, and says so in one sentence", () => {
    const plan = releasePlan(all);
    expect(plan.missing).toEqual(["live_in", "evaluation", "review", "breaking"]);
    expect(plan.summary).toBe(
      "Version 4 needs 4 more steps before production: live in staging first; an evaluation on regression scoring at least 80.0%; an approved review by someone else; breaking changes confirmed.",
    );
  });

  it("shows the met steps too, as they become met", () => {
    const plan = releasePlan(
      {
        ...all,
        wasLiveIn: ["staging"],
        gate: gate({ run: run("a", 0.9) }),
        reviews: { approved: review, pending: null },
      },
      { confirmBreaking: ["variable.added:order_id"] },
    );
    expect(plan.status).toBe("ready");
    expect(plan.steps.map((s) => [s.id, s.met])).toEqual([
      ["live_in", true],
      ["evaluation", true],
      ["review", true],
      ["breaking", true],
    ]);
    expect(plan.summary).toBe("Version 4 can go live in production.");
  });

  it("confirmBreaking: true confirms every change; keys confirm only what they name", () => {
    const f = facts({ breaking }, { protected: true });
    expect(releasePlan(f, { confirmBreaking: true }).status).toBe("ready");
    expect(releasePlan(f, { confirmBreaking: ["variable.removed:other"] }).missing).toEqual(["breaking"]);
    expect(releasePlan(f, { confirmBreaking: false }).missing).toEqual(["breaking"]);
  });

  it("a version the environment serves is live, whatever the rules", () => {
    expect(releasePlan({ ...all, live: 4 }).status).toBe("live");
  });

  it("for an experiment, a version the environment served before meets review, live-in and gate (as a rollback could return to it)", () => {
    const served = { ...all, wasLiveIn: ["production"], gate: gate({ run: run("low", 0.4) }) };
    expect(releasePlan(served).missing).toEqual(["live_in", "evaluation", "review", "breaking"]);
    const forExperiment = releasePlan(served, { purpose: "experiment" });
    expect(forExperiment.status).toBe("ready");
    expect(forExperiment.notices.map((n) => n.kind)).toEqual(["served_before"]);
  });

  it("notices: a skill version saved with fields outside the specification, until it is live", () => {
    const f = facts({ skillFieldsOutsideSpec: ["disable-model-invocation", "version"] });
    expect(releasePlan(f).notices).toEqual([
      {
        kind: "skill_fields",
        message: expect.stringMatching(
          /^Version 4's SKILL.md has fields outside .*\(disable-model-invocation, version\)/,
        ),
      },
    ]);
    expect(releasePlan(f).status).toBe("ready");
    expect(releasePlan({ ...f, live: 4 }).notices).toEqual([]);
    expect(releasePlan(facts({ skillFieldsOutsideSpec: [] })).notices).toEqual([]);
  });

  it("notices: a running experiment the release stops", () => {
    const plan = releasePlan(facts({ experiments: [{ id: "e-1", name: "Concise replies" }] }));
    expect(plan.notices).toEqual([
      {
        kind: "stops_experiment",
        experiment: { id: "e-1", name: "Concise replies" },
        message: "Experiment “Concise replies” runs on support-reply in production; this release stops it.",
      },
    ]);
  });

  it("a gate's run that does not count says why", () => {
    const plan = releasePlan(
      facts({
        gate: gate({
          outdated: {
            ...run("old", 0.99, { datasetVersion: 1 }),
            why: "it ran on dataset version 1, whose items differ from version 2",
          },
        }),
      }),
    );
    expect(plan.steps[0]!.detail).toMatch(/Its last run does not count: it ran on dataset version 1/);
  });
});

describe("planRefusal: the error a refused release answers", () => {
  it.each<[string, PlanFacts, string, Record<string, unknown>]>([
    ["review", facts({}, { requiresReview: true }), "conflict", { rule: "requiresReview" }],
    [
      "live in",
      facts({}, { requiresLiveIn: "staging" }),
      "conflict",
      { rule: "requiresLiveIn", requiredEnvironment: "staging" },
    ],
    [
      "gate",
      facts({ gate: gate({ run: run("a", 0.5) }) }),
      "gate_failed",
      { rule: "evaluationGate", score: 0.5, minScore: 0.8 },
    ],
    [
      "breaking",
      facts({ breaking }, { protected: true }),
      "invalid_input",
      { field: "confirmBreaking", breaking: ["variable.added:order_id"] },
    ],
  ])("%s: the first missing rule's code and details, with the whole plan", (_name, f, code, details) => {
    const plan = releasePlan(f);
    const r = planRefusal(plan);
    expect(r.code).toBe(code);
    expect(r.details).toMatchObject({ ...details, plan });
  });

  it("names the other missing steps in the message", () => {
    const r = planRefusal(releasePlan(facts({ gate: gate() }, { requiresReview: true, requiresLiveIn: "staging" })));
    expect(r.message).toMatch(
      /^production requires the version to have been live in staging first: promote version 4 to staging\. Also missing: an evaluation on regression scoring at least 80\.0%; an approved review by someone else\.$/,
    );
  });
});

describe("releasePlan: a paired gate", () => {
  const baseline = { version: 2, run: run("r-live", 0.9) };
  const scorer = (direction: "better" | "worse" | "same", meanDiff: number) => ({
    name: "correctness",
    n: 40,
    meanDiff,
    ci: [meanDiff - 0.04, meanDiff + 0.04] as [number, number],
    adjustedPValue: direction === "same" ? 0.4 : 0.003,
    direction,
  });
  const paired = (direction: "better" | "worse" | "same", meanDiff: number) => ({
    alpha: 0.05,
    items: 40,
    scorers: [scorer(direction, meanDiff)],
  });
  const step = (g: Partial<GateFacts>) => releasePlan(facts({ gate: gate({ items: 40, ...g }) })).steps[0]!;

  it("refuses a version significantly worse than the live one on a gate scorer, naming it", () => {
    const s = step({ mode: "paired", minScore: 0, run: run("r-1", 0.85), baseline, paired: paired("worse", -0.061) });
    expect(s.met).toBe(false);
    expect(s.title).toBe("An evaluation on regression no worse than the live version");
    expect(s.detail).toBe(
      "Version 4 scores clearly lower than live version 2 on the same items: on correctness by 6.1 points [2.1, 10.1], p = 0.0030 (40 items; paired t test, Holm-adjusted).",
    );
    expect(s.action).toBeNull();
  });

  it("passes a version no scorer finds worse, even below the live score by more than maxDrop", () => {
    const s = step({ mode: "paired", minScore: 0, run: run("r-1", 0.7), baseline, paired: paired("same", -0.2) });
    expect(s.met).toBe(true);
    expect(s.detail).toContain(
      "Item by item, no gate scorer is clearly lower than live version 2 (40 items; paired t test).",
    );
  });

  it("both: the threshold and the drop apply as well", () => {
    const s = step({ mode: "both", run: run("r-1", 0.7), baseline, paired: paired("same", -0.2) });
    expect(s.met).toBe(false);
    expect(s.detail).toContain("below 80.0%");
    const drop = step({ mode: "both", minScore: 0.5, run: run("r-1", 0.8), baseline, paired: paired("same", -0.1) });
    expect(drop.detail).toContain("at most 5.0% is allowed");
  });

  it("asks for a run of the live version when it has none, and passes when nothing else is live", () => {
    const s = step({ mode: "paired", minScore: 0, run: run("r-1", 0.8), baseline: { version: 2, run: null } });
    expect(s.met).toBe(false);
    expect(s.action).toEqual({
      kind: "run_evaluation",
      environment: "production",
      version: 2,
      dataset: "ds-1",
      datasetVersion: 2,
    });
    expect(step({ mode: "paired", minScore: 0, run: run("r-1", 0.8), baseline: null }).met).toBe(true);
  });
});
