"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { deployPermission, type Actor } from "@/lib/auth/permissions";
import type { PlanStep, ReleasePlan } from "@/lib/release/plan/plan";
import { encodePromptName } from "@/lib/registry/name-rules";
import { blockedReason } from "@/components/blocked-reasons";
import { GatedButton } from "@/components/ui/gated-button";
import { LinkButton } from "@/components/ui/link-button";
import { useToast } from "@/components/ui/toast";
import { runGateEvaluationAction } from "../_actions";

export type PlanDialogMode = "promote" | "review";

/** Where a plan is shown, and what that place can do by itself. */
export type PlanActionHost = {
  slug: string;
  prompt: string;
  actor: Actor;
  /** The project's environments (who may deploy where depends on their protection). */
  environments: { name: string; protected: boolean }[];
  /**
   * Opens the promote or request-review form for an environment right here. Without it the buttons
   * lead to the prompt page's release plan, which opens that form (`?open=promote:staging`).
   */
  open?: (mode: PlanDialogMode, environment: string) => void;
  /** The form showing the plan, whose own button does that step (it is not offered twice). */
  current?: { mode: PlanDialogMode; environment: string };
  /** Where "Open the review" leads (default: the reviews page). */
  reviewHref?: string;
  /** Brings the breaking-change confirmation into view, in a form that has one. */
  confirmBreaking?: () => void;
  /** Brings the "it was rolled back, release it again" confirmation into view, in a form that has one. */
  confirmRolledBack?: () => void;
  /** Brings the override of the dependents' rules into view, in a form that has one. */
  confirmDependents?: () => void;
};

/** "support version 6 with tone version 2" */
const withPartials = (prompt: string, version: number, partials?: Record<string, number>) =>
  `${prompt} version ${version}${Object.entries(partials ?? {})
    .map(([n, v]) => ` with ${n} version ${v}`)
    .join("")}`;

/** The prompt page's address that opens a release form for a version (see ReleasePlanCard). */
export const openReleaseHref = (slug: string, prompt: string, version: number, mode: PlanDialogMode, env: string) =>
  `/${slug}/prompts/${encodePromptName(prompt)}?show=${version}&open=${mode}:${encodeURIComponent(env)}#release`;

/**
 * The button for one missing step of a release plan, the same wherever a plan is shown (the prompt
 * page, the promote and request-review forms, the review form, the reviews list): promote where the
 * version must be live first, run the gate's evaluation, see the run under way, request a review or
 * open the pending one, review the breaking changes.
 */
export function PlanStepAction({ host, plan, step }: { host: PlanActionHost; plan: ReleasePlan; step: PlanStep }) {
  const router = useRouter();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const a = step.action;
  if (!a) return null;
  const deployBlocked = (env: string) => {
    const e = host.environments.find((x) => x.name === env);
    return e ? blockedReason(host.actor, deployPermission(e)) : null;
  };
  const here = (mode: PlanDialogMode, env: string) => host.current?.mode === mode && host.current.environment === env;
  /** A button that opens a release form here, or a link to the prompt page that opens it. */
  const opener = (mode: PlanDialogMode, env: string, label: string, blocked: string | null) =>
    host.open || blocked ? (
      <GatedButton size="sm" blockedReason={blocked} onClick={() => host.open?.(mode, env)}>
        {label}
      </GatedButton>
    ) : (
      <LinkButton size="sm" href={openReleaseHref(host.slug, host.prompt, plan.version, mode, env)}>
        {label}
      </LinkButton>
    );
  /** A button to the confirmation below it, in the dialog that asks for it. */
  const below = (confirm: () => void, label: string, blocked: string | null) => (
    <GatedButton size="sm" blockedReason={blocked} onClick={() => confirm()}>
      {label}
    </GatedButton>
  );

  // A paired gate may ask for a run of the live version (the baseline), not of the planned one; a partial's
  // plan asks for runs of the prompts that include it, rendered with the candidate partial.
  async function runGate(version: number, prompt: string, partials?: Record<string, number>) {
    setBusy(true);
    const r = await runGateEvaluationAction(host.slug, {
      name: prompt,
      environment: plan.environment,
      version,
      partials,
    });
    setBusy(false);
    if (!r.ok) return toast.show(r.message, "error");
    toast.show(`Evaluation of ${withPartials(prompt, version, partials)} for ${plan.environment}'s gate started.`);
    router.push(`/${host.slug}/evaluations/${r.data.id}`);
  }

  switch (a.kind) {
    case "promote":
      return opener("promote", a.environment, `Promote to ${a.environment}…`, deployBlocked(a.environment));
    case "run_evaluation": {
      const other = a.prompt !== undefined && a.prompt !== host.prompt;
      return (
        <GatedButton
          size="sm"
          disabled={busy}
          blockedReason={blockedReason(host.actor, "evaluation.run")}
          onClick={() => void runGate(a.version, a.prompt ?? host.prompt, a.partials)}
        >
          {busy
            ? "Starting…"
            : other
              ? `Run evaluation of ${withPartials(a.prompt!, a.version, a.partials)}`
              : `Run evaluation${a.version === plan.version ? "" : ` of version ${a.version}`} on ${step.evaluation?.dataset ?? "the gate's dataset"}`}
        </GatedButton>
      );
    }
    case "confirm_dependents":
      if (host.confirmDependents)
        return below(host.confirmDependents, "Override below", blockedReason(host.actor, "deploy.protected"));
      return null;
    case "open_shadow":
      return (
        <LinkButton
          size="sm"
          href={`/${host.slug}/online/${encodePromptName(a.prompt ?? host.prompt)}?environment=${encodeURIComponent(a.environment)}#shadow`}
        >
          See the shadow comparison
        </LinkButton>
      );
    case "start_rollout":
      return (
        <LinkButton size="sm" href={`/${host.slug}/prompts/${encodePromptName(host.prompt)}#rollouts`}>
          Start a guarded rollout
        </LinkButton>
      );
    case "wait_for_run":
      return (
        <LinkButton size="sm" href={`/${host.slug}/evaluations/${a.run}`}>
          See the run
        </LinkButton>
      );
    case "request_review":
      if (here("review", a.environment)) return null;
      return opener("review", a.environment, "Request review…", blockedReason(host.actor, "review.request"));
    case "decide_review":
      return (
        <LinkButton size="sm" href={host.reviewHref ?? `/${host.slug}/reviews`}>
          Open the review
        </LinkButton>
      );
    case "confirm_breaking":
      if (host.confirmBreaking)
        return below(host.confirmBreaking, "Review the changes below", deployBlocked(plan.environment));
      return opener("promote", plan.environment, "Review the changes…", deployBlocked(plan.environment));
    case "confirm_rolled_back":
      if (host.confirmRolledBack)
        return below(host.confirmRolledBack, "Confirm below", deployBlocked(plan.environment));
      return opener("promote", plan.environment, "Release it again…", deployBlocked(plan.environment));
  }
}
