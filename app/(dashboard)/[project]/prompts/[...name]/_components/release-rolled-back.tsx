"use client";

import type { RefObject } from "react";
import type { PlanStep, ReleasePlan } from "@/lib/release/plan";

/** The plan's rollback step while nobody has confirmed it, or null. */
export const unmetRollback = (plan: ReleasePlan | null | undefined) =>
  plan?.steps.find((s) => s.id === "rolled_back" && !s.met) ?? null;

/**
 * A rolled-back version is released again only by a person who says they know (issue 42): the rollback in
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
