"use client";

import type { RefObject } from "react";
import { can, type Actor } from "@/lib/auth/permissions";
import type { PlanStep, ReleasePlan } from "@/lib/release/plan/plan";
import { missingBeyondApproval } from "@/lib/release/plan/plan-approval";

/** Plan steps an approval cannot give (the review itself and the approver's confirmation aside). */
export const beyondReview = (plan: ReleasePlan) => missingBeyondApproval(plan, ["breaking"]);

/**
 * A review whose approval could not deploy yet is a question, not a disabled button: what is
 * still missing, and the confirm button asks "Request review anyway" (sending acknowledgeMissing).
 */
export function ReviewAnyway({
  plan,
  version,
  environment,
}: {
  plan: ReleasePlan;
  version?: number;
  environment: string;
}) {
  return (
    <p role="note" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-950" data-testid="review-anyway">
      An approval cannot deploy version {version} to {environment} yet:{" "}
      {beyondReview(plan)
        .map((s) => s.title.toLowerCase())
        .join("; ")}
      . Request the review now anyway? The approver will see what is still missing.
    </p>
  );
}

/** The plan's dependents step while it is not met, or null. */
export const unmetDependents = (plan: ReleasePlan | null | undefined) =>
  plan?.steps.find((s) => s.id === "dependents" && !s.met) ?? null;

/**
 * Releasing a partial past the rules of the prompts that include it: an approver's override,
 * recorded with the deployment. Others read who may do it.
 */
export function ReleaseDependentsOverride({
  step,
  actor,
  confirmed,
  onConfirmed,
  confirmRef,
}: {
  step: PlanStep | null;
  actor: Actor;
  confirmed: boolean;
  onConfirmed: (confirmed: boolean) => void;
  confirmRef: RefObject<HTMLLabelElement | null>;
}) {
  if (!step) return null;
  if (!can(actor, "deploy.protected"))
    return (
      <p role="note" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-950" data-testid="dependents-note">
        Prompts that include it do not pass their own rules with this version yet. Meet their steps above, or ask an
        approver, who may release past them.
      </p>
    );
  return (
    <label
      ref={confirmRef}
      className="flex items-start gap-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-950"
      data-testid="confirm-dependents"
    >
      <input
        type="checkbox"
        className="mt-0.5 size-4"
        checked={confirmed}
        onChange={(e) => onConfirmed(e.target.checked)}
      />
      <span>
        Release it although the prompts that include it do not pass their own rules yet (
        {(step.action?.kind === "confirm_dependents" ? step.action.prompts : []).join(", ")}). The override is recorded
        with the deployment.
      </span>
    </label>
  );
}
