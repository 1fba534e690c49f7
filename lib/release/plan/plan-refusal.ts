// The error a refused release answers (409 conflict or gate_failed, 400 for unconfirmed breaking
// changes): the first missing step of the plan decides the code and the details, and the whole plan
// travels with it. Re-exported by plan.ts.
import { AppError } from "../../errors";
import type { PlanAction, ReleasePlan } from "./plan";
import { stillNeeded } from "./plan-dependents";

/** The error a refused release answers: the first missing rule's code and details, with the whole plan. */
export function planRefusal(plan: ReleasePlan): {
  code: "conflict" | "gate_failed" | "invalid_input" | "rolled_back" | "experiment_running";
  message: string;
  details: Record<string, unknown>;
} {
  const r = refusal(plan);
  // Whatever refuses a partial's release, the prompts it would change travel with it.
  if (plan.dependents.length) r.details = { ...r.details, dependents: plan.dependents };
  return r;
}

function refusal(plan: ReleasePlan): ReturnType<typeof planRefusal> {
  const first = plan.steps.find((s) => !s.met)!;
  const env = plan.environment;
  const v = plan.version;
  const rest = plan.steps.filter((s) => !s.met && s !== first);
  const also = rest.length ? ` Also missing: ${rest.map((s) => s.title.toLowerCase()).join("; ")}.` : "";
  switch (first.id) {
    case "rolled_back":
      return {
        code: "rolled_back",
        message: `${first.detail} Confirm it to release version ${v} to ${env} again (the API takes confirmRolledBack: true from a person).${also}`,
        details: { rule: "rolledBack", field: "confirmRolledBack", environment: env, version: v, plan },
      };
    case "review":
      return {
        code: "conflict",
        message: `${env} requires an approved review: request a review of version ${v} for ${env} first.${also}`,
        details: { rule: "requiresReview", environment: env, version: v, plan },
      };
    case "live_in": {
      const other = (first.action as { environment: string } | null)?.environment ?? first.title;
      return {
        code: "conflict",
        message: `${env} requires the version to have been live in ${other} first: promote version ${v} to ${other}.${also}`,
        details: { rule: "requiresLiveIn", environment: env, requiredEnvironment: other, version: v, plan },
      };
    }
    case "evaluation":
      return gateRefusal(plan, first, also);
    case "shadow": {
      // A partial's step judged through its dependents' carries no facts of its own (plan-partial-shadow.ts).
      const past = first.shadow ? "" : " An approver may release it past them (confirmDependents: true).";
      return {
        code: "gate_failed",
        message: `${env} requires a shadow comparison with no significant loss: ${first.detail}${past}${also}`,
        details: { rule: "requiresShadow", environment: env, version: v, shadow: first.shadow, plan },
      };
    }
    case "dependents":
      return {
        code: "conflict",
        message: `${first.detail} Still needed: ${stillNeeded(plan.dependents)}. An approver may release it past them (confirmDependents: true).${also}`,
        details: { rule: "dependents", environment: env, version: v, dependents: plan.dependents, plan },
      };
    case "rollout":
      return {
        code: "conflict",
        message: `${first.detail} Start one: POST /api/v1/prompts/${encodeURIComponent(plan.prompt)}/rollouts {environment: "${env}", version: ${v}} (Start guarded rollout on the prompt's page).${also}`,
        details: { rule: "guardedRollout", environment: env, version: v, plan },
      };
    case "experiments":
      return experimentsRefusal(plan, first, also);
    case "breaking":
      return {
        code: "invalid_input",
        message: `Version ${v} has changes that break applications using ${env}: ${first.detail} Confirm them to release to ${env} (the API takes confirmBreaking: true).${also}`,
        details: { field: "confirmBreaking", breaking: (first.action as { keys: string[] }).keys, plan },
      };
  }
}

type Refusal = ReturnType<typeof planRefusal>;
type Step = ReleasePlan["steps"][number];

function gateRefusal(plan: ReleasePlan, first: Step, also: string): Refusal {
  const env = plan.environment;
  const v = plan.version;
  const e = first.evaluation!;
  return {
    code: "gate_failed",
    message: `${env} has an evaluation gate: ${first.detail}${also}`,
    details: {
      rule: "evaluationGate",
      version: v,
      environment: env,
      dataset: e.dataset,
      datasetVersion: e.datasetVersion,
      run: e.run,
      score: e.score,
      minScore: e.minScore,
      maxDrop: e.maxDrop,
      baseline: e.baseline,
      drop: e.drop,
      items: e.items,
      failedItems: e.failedItems,
      reason: first.detail,
      plan,
    },
  };
}

function experimentsRefusal(plan: ReleasePlan, first: Step, also: string): Refusal {
  const env = plan.environment;
  const v = plan.version;
  const choice = first.action as Extract<PlanAction, { kind: "choose_experiment_action" }>;
  const e = choice.experiments[0]!;
  return {
    code: "experiment_running",
    message: `${first.detail} The API takes experimentAction: ${choice.newPhase ? `"new_phase" or "stop"` : `"stop"`}.${also}`,
    details: {
      field: "experimentAction",
      experiment: { id: e.id, name: e.name },
      experiments: choice.experiments,
      environment: env,
      version: v,
      plan,
    },
  };
}

/** The one refusal of a bundle release: the first blocked member's code, every member's plan in the details. */
export function bundleRefusal(bundle: string, environment: string, plans: { prompt: string; plan: ReleasePlan }[]) {
  const blocked = plans.filter((p) => p.plan.status === "blocked");
  const first = planRefusal(blocked[0]!.plan);
  return new AppError(
    first.code,
    `Bundle ${bundle} cannot go to ${environment}: ${blocked.map((p) => `${p.prompt}: ${planRefusal(p.plan).message}`).join(" ")}`,
    { ...first.details, bundle, plans, plan: undefined },
  );
}
