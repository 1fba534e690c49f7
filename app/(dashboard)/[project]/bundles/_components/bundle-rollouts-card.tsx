import { deployPermission, type Actor } from "@/lib/auth/permissions";
import type { BundleRolloutsIn } from "@/lib/views/bundle-rollouts-overview";
import { blockedReason } from "@/components/permissions";
import { EndedRollouts, RolloutsUnderWay } from "@/components/rollouts/rollout-summary";
import { Card } from "@/components/ui/card";
import { BundleRolloutPanel, memberChange } from "./bundle-rollout-panel";

/** The sentence a viewer or editor reads on every rollout button (starting and acting need approver or admin). */
export const MANAGE_BLOCKED = "Approvers and admins manage rollouts.";

/** Why this person may not start or move a rollout in an environment, or null. */
export function rolloutBlocked(actor: Actor, environment: { protected: boolean }) {
  return blockedReason(actor, "experiment.manage")
    ? MANAGE_BLOCKED
    : blockedReason(actor, deployPermission(environment));
}

/**
 * The bundle's guarded rollouts, per environment: the one under way with its share, its
 * steps, the members it changes, its guardrails, its decision log and the moves; then the ended ones briefly.
 * One starts beside the release form, with the versions chosen there.
 */
export function BundleRolloutsCard({
  slug,
  bundle,
  actor,
  environments,
  rollouts,
}: {
  slug: string;
  bundle: string;
  actor: Actor;
  environments: { name: string; protected: boolean }[];
  rollouts: BundleRolloutsIn[];
}) {
  const active = rollouts.flatMap((e) => (e.active ? [e.active] : []));
  const ended = rollouts.flatMap((e) => e.ended).sort((a, b) => (b.endedAt ?? "").localeCompare(a.endedAt ?? ""));
  const blockedIn = (name: string) => {
    const env = environments.find((e) => e.name === name);
    return env ? rolloutBlocked(actor, env) : MANAGE_BLOCKED;
  };
  return (
    <Card
      title="Guarded rollout"
      id="rollouts"
      description="Every member a release changes reaches an environment step by step with one share, so a subject gets all the new versions or none; a guardrail significantly worse on any member rolls all back."
    >
      <div className="flex flex-col gap-4">
        <RolloutsUnderWay
          label="Bundle rollouts under way"
          panels={active.map((r) => ({
            id: r.id,
            panel: <BundleRolloutPanel slug={slug} rollout={r} blocked={blockedIn(r.environment)} />,
          }))}
        >
          <p className="text-sm text-slate-600" data-testid="no-bundle-rollout">
            No rollout of bundle {bundle} is under way. Start one from the release form: the versions chosen there reach
            a growing share of subjects (5, 25, 50, then 100 % by default) while their guardrails are watched.
          </p>
        </RolloutsUnderWay>
        <EndedRollouts
          rollouts={ended.map((r) => ({
            ...r,
            title: `→ ${r.environment}`,
            detail: r.members.map(memberChange).join(", "),
          }))}
          titleId="bundle-rollouts-ended-title"
          testId="ended-bundle-rollouts"
          markStatus
        />
      </div>
    </Card>
  );
}
