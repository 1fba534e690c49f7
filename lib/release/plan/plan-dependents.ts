// A partial's release is a release of every prompt that includes it (docs/decisions/partial-releases.md). The plan of a
// partial's version for an environment lists each dependent (../dependents.ts) with what its own rules there require
// of the composed result: the environment's evaluation gate run on the dependent rendered with the
// candidate partial, against the dependent as served now; the review, which the partial's own review
// covers (the dependent changes with it, in the same environment); and the shadow rule, met when the
// dependent's live version rendered with the candidate partial (a composition candidate of the dependent's
// online rule) answered enough live inputs with no scorer significantly worse than the dependent as served
// now (plan-dependent-shadow.ts). One step of the partial's plan, "dependents", is met when every
// dependent's steps are, or when a person who may deploy to protected environments overrides them (audited
// with the deployment). Pure.
import { evaluationStep } from "./plan-evaluation";
import type { GateFacts, PlanFacts, PlanStep } from "./plan";
import { dependentShadowStep } from "./plan-dependent-shadow";
import type { ShadowFacts } from "./shadow-facts";

export interface Dependent {
  /** The prompt that includes the partial. */
  name: string;
  environment: string;
  /** The version of it the environment serves. */
  serves: number;
  /** It includes the partial in its own text, not only through other partials. */
  direct: boolean;
}

/** What a dependent's own rules need for the composed result (read by ../dependents.ts). */
export interface DependentFacts extends Dependent {
  /** The environment's gate, on the dependent rendered with the candidate partial; null when it has none. */
  gate: GateFacts | null;
  requiresReview: boolean;
  /**
   * The shadow comparison of the dependent's live version rendered with the candidate partial against it as
   * served now; null when the environment requires none.
   */
  shadow: ShadowFacts | null;
}

/** A dependent in the plan: its steps for the composed result, and whether they are all met. */
export interface DependentPlan extends Dependent {
  met: boolean;
  steps: PlanStep[];
}

export function dependentPlans(f: PlanFacts): DependentPlan[] {
  return (f.dependents ?? []).map((d) => {
    const steps: PlanStep[] = [];
    const with_ = `${f.prompt} version ${f.version}`;
    if (d.gate)
      steps.push(
        evaluationStep({ ...f, prompt: d.name, version: d.serves, live: d.serves }, d.gate, false, {
          prompt: d.name,
          partials: { [f.prompt]: f.version },
          candidate: `${d.name} version ${d.serves} with ${with_}`,
          live: `${d.name} version ${d.serves} as ${d.environment} serves it`,
        }),
      );
    if (d.requiresReview) {
      const { approved, pending } = f.reviews;
      steps.push({
        id: "review",
        met: approved !== null,
        title: `An approved review of ${with_}`,
        detail: approved
          ? `The review of ${with_}${approved.by ? `, approved by ${approved.by},` : ""} covers ${d.name}.`
          : `${d.name} changes with ${f.prompt}: the review of ${with_} for ${d.environment} covers it${pending ? " (one is waiting for an approver)" : ""}.`,
        action: approved
          ? null
          : pending
            ? { kind: "decide_review", review: pending.id }
            : { kind: "request_review", environment: d.environment, version: f.version },
      });
    }
    if (d.shadow) steps.push(dependentShadowStep(f, d, d.shadow));
    return { ...d, met: steps.every((s) => s.met), steps };
  });
}

/** The partial's own step over its dependents, or null when nothing includes it there. */
export function dependentsStep(f: PlanFacts, plans: DependentPlan[], overridden: boolean): PlanStep | null {
  if (!plans.length) return null;
  const env = f.environment.name;
  const unmet = plans.filter((d) => !d.met);
  const names = (ds: DependentPlan[]) => ds.map((d) => `${d.name} (version ${d.serves})`).join(", ");
  const title = `Prompts that include ${f.prompt} pass their own rules`;
  if (!unmet.length)
    return {
      id: "dependents",
      met: true,
      title,
      detail: `${names(plans)} ${plans.length === 1 ? "passes its" : "pass their"} rules in ${env} with version ${f.version}.`,
      action: null,
    };
  if (overridden)
    return {
      id: "dependents",
      met: true,
      title,
      detail: `Released past the rules of ${names(unmet)} by a person's override (recorded with the deployment): ${stillNeeded(plans)}.`,
      action: null,
    };
  return {
    id: "dependents",
    met: false,
    title,
    detail: `Releasing version ${f.version} changes what ${env} serves for ${names(plans)}; ${unmet.length === 1 ? "one of them does" : `${unmet.length} of them do`} not pass ${unmet.length === 1 ? "its" : "their"} own rules with it yet.`,
    action: { kind: "confirm_dependents", prompts: unmet.map((d) => d.name) },
  };
}

/** Each dependent's missing steps in their own words ("support-reply version 3 with shared/tone version 2 scored …"). */
export const stillNeeded = (plans: DependentPlan[]): string =>
  plans.flatMap((d) => d.steps.filter((s) => !s.met).map((s) => s.detail.replace(/\.$/, ""))).join("; ");
