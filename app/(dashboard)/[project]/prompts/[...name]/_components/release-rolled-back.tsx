"use client";

import type { RefObject } from "react";
import { can, type Actor } from "@/lib/auth/permissions";
import type { PlanStep, ReleasePlan } from "@/lib/release/plan/plan";

/**
 * The running experiment a promotion would stop, when the person may not end it (only its creator or an
 * approver may: lib/release/plan/experiment-end-rule.ts), or null.
 */
export const experimentNotYours = (plan: ReleasePlan | null | undefined, actor: Actor) =>
  plan && plan.status !== "live" && !can(actor, "experiment.manage")
    ? (plan.notices.find((n) => n.kind === "stops_experiment") ?? null)
    : null;

/** Says why the promotion waits (in place of the plan's notice): the experiment it would stop is someone else's. */
export function ReleaseEndsExperiment({ notice }: { notice: { message: string } | null }) {
  if (!notice) return null;
  return (
    <p role="note" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-950" data-testid="ends-experiment">
      {notice.message.replace(/; this release stops it\.$/, ".")} Promoting would stop it, and only the person who
      created it or an approver may end it: ask them to stop it first.
    </p>
  );
}

/** The plan's rollback step while nobody has confirmed it, or null. */
export const unmetRollback = (plan: ReleasePlan | null | undefined) =>
  plan?.steps.find((s) => s.id === "rolled_back" && !s.met) ?? null;

/**
 * A rolled-back version is released again only by a person who says they know: the rollback in
 * words (when, by whom, why) and a checkbox that sends confirmRolledBack.
 */
export function ReleaseRolledBack({
  step,
  confirmed,
  onConfirmed,
  confirmRef,
}: {
  /** The plan's unmet rolled_back step, or null. */
  step: PlanStep | null;
  confirmed: boolean;
  onConfirmed: (confirmed: boolean) => void;
  confirmRef: RefObject<HTMLLabelElement | null>;
}) {
  if (!step) return null;
  return (
    <label
      ref={confirmRef}
      className="flex items-start gap-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-950"
      data-testid="confirm-rolled-back"
    >
      <input
        type="checkbox"
        className="mt-0.5 size-4"
        checked={confirmed}
        onChange={(e) => onConfirmed(e.target.checked)}
      />
      <span>{step.detail.replace(/ Only a person who confirms it.*$/, "")} I know, and release it there again.</span>
    </label>
  );
}

/** A rollback's notice that it stops the experiment running on the prompt there. */
export function RollbackStopsNotice({ plan }: { plan: ReleasePlan }) {
  return plan.notices
    .filter((n) => n.kind === "stops_experiment")
    .map((n) => (
      <p
        key={n.kind}
        role="note"
        data-testid="plan-notice-stops_experiment"
        className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-800"
      >
        {n.message.replace("this release stops it", "rolling back stops it")}
      </p>
    ));
}

/** Why the promote button waits: the steps still missing. */
export function PromoteBlocked({ steps }: { steps: PlanStep[] }) {
  return (
    <p className="text-sm text-slate-700" data-testid="promote-blocked">
      Promotion is possible once the missing {steps.length === 1 ? "step is" : "steps are"} done:{" "}
      {steps.map((s) => s.title.toLowerCase()).join("; ")}.
    </p>
  );
}
