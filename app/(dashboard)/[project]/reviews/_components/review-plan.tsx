"use client";

import type { Actor } from "@/lib/auth/permissions";
import type { ReleasePlan } from "@/lib/release/plan/plan";
import { missingBeyondApproval } from "@/lib/release/plan/plan-approval";
import { PlanStepAction } from "../../prompts/[...name]/_components/plan-step-action";

/**
 * What a pending review's version needs besides the approval, said in the list before anyone opens
 * it, with the button for each missing step (the same as on the prompt page and in every form).
 */
export function ReviewPlan({
  slug,
  plan,
  deploys,
  actor,
  environments,
}: {
  slug: string;
  plan: ReleasePlan | null;
  deploys: boolean;
  actor: Actor;
  environments: { name: string; protected: boolean }[];
}) {
  if (!plan) return <span className="text-slate-500">—</span>;
  if (plan.status === "live") return <span className="text-slate-700">Already live there.</span>;
  const other = missingBeyondApproval(plan);
  if (!other.length)
    return <span className="text-emerald-800">{deploys ? "Goes live when approved." : "Ready once approved."}</span>;
  const host = { slug, prompt: plan.prompt, actor, environments };
  return (
    <div className="flex flex-col gap-1.5 text-amber-900">
      <span>Also missing:</span>
      <ul className="flex flex-col gap-1.5">
        {other.map((s) => (
          <li key={s.id} data-step={s.id} className="flex flex-col items-start gap-1">
            <span>
              {s.title}
              {s.id === "breaking" ? " (the approver confirms them in the review)" : ""}
            </span>
            {s.id === "breaking" ? null : <PlanStepAction host={host} plan={plan} step={s} />}
          </li>
        ))}
      </ul>
    </div>
  );
}
