import type { Actor } from "@/lib/auth/permissions";
import type { EndedRollout } from "@/lib/views/prompt-rollouts";
import { blockedReason, MANAGE_BLOCKED, rolloutBlockedIn } from "@/components/blocked-reasons";
import type { ActiveRollout } from "@/components/rollouts/rollout-guardrails";
import { EndedRollouts, RolloutsCard as RolloutsFrame } from "@/components/rollouts/rollout-summary";
import { RolloutPanel } from "./rollout-panel";
import { RolloutStartForm } from "./rollout-start-form";
import { rolloutDefaults } from "./rollout-defaults";
import type { EnvironmentView, VersionOption } from "./types";

/** The sentence a viewer or editor reads on every rollout button (starting and acting need approver or admin). */

/**
 * Guarded rollouts of this prompt: the running and paused ones first, each with its share, its
 * steps, its guardrails at this step, its decision log and the buttons to pause, resume, advance or roll
 * back; the ended ones briefly; and the form that starts one.
 */
export function RolloutsCard({
  slug,
  prompt,
  actor,
  environments,
  versions,
  active,
  ended,
}: {
  slug: string;
  prompt: string;
  actor: Actor;
  environments: EnvironmentView[];
  versions: VersionOption[];
  active: ActiveRollout[];
  ended: EndedRollout[];
}) {
  const manageBlocked = blockedReason(actor, "experiment.manage") ? MANAGE_BLOCKED : null;
  const blockedIn = rolloutBlockedIn(actor, environments, manageBlocked);
  return (
    <RolloutsFrame
      title="Guarded rollouts"
      description="A version reaches an environment step by step, and goes back by itself when a guardrail gets significantly worse."
      label="Rollouts under way"
      active={active}
      panel={(r) => <RolloutPanel slug={slug} rollout={r} blocked={blockedIn(r.environment)} />}
      empty={
        <p className="text-sm text-slate-600">
          No rollout is under way on this prompt. A guarded rollout gives a new version to a growing share of subjects
          (5, 25, 50, then 100 % by default) while it watches latency, cost, refusals and feedback.
        </p>
      }
    >
      <EndedRollouts
        rollouts={ended.map((r) => ({ ...r, title: `Version ${r.version} → ${r.environment}` }))}
        titleId="rollouts-ended-title"
        testId="ended-rollouts"
      />
      <RolloutStartForm
        slug={slug}
        prompt={prompt}
        environments={environments
          .filter((e) => e.live && !active.some((r) => r.environment === e.name))
          .map((e) => ({
            name: e.name,
            live: e.live!.version,
            blocked: blockedIn(e.name),
            steps: e.rolloutSteps ?? null,
          }))}
        versions={versions}
        defaults={rolloutDefaults()}
        blocked={manageBlocked}
      />
    </RolloutsFrame>
  );
}
