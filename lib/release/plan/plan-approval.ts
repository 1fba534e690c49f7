// What an approval gives a release plan, in one place: the review step itself, the approver's own
// confirmations (breaking changes, a rolled-back version: `confirmable`), and a partial's dependents step
// when all its dependents still miss is that review, which the partial's review covers
// (docs/decisions/partial-releases.md). Every place that says "approving deploys it" or "approving cannot deploy it
// yet" (the request, the reviews list, the review form, requestReview's refusal) reads this. Pure; the UI imports it.
import type { ReleasePlan, PlanStep, StepId } from "./plan";

/** Whether approving the review meets the step (given the steps the approver confirms in the same act). */
export function approvalGives(plan: ReleasePlan, step: PlanStep, confirmable: readonly StepId[] = []): boolean {
  if (step.met || step.id === "review" || confirmable.includes(step.id)) return true;
  if (step.id !== "dependents") return false;
  return plan.dependents.every((d) => d.steps.every((s) => s.met || s.id === "review"));
}

/** The plan's missing steps an approval cannot give. */
export const missingBeyondApproval = (plan: ReleasePlan, confirmable: readonly StepId[] = []): PlanStep[] =>
  plan.steps.filter((s) => !approvalGives(plan, s, confirmable));
