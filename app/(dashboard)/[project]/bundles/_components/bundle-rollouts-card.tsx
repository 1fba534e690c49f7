import type { Actor } from "@/lib/auth/permissions";
import type { BundleRolloutsIn } from "@/lib/views/bundle-rollouts-overview";
import { MANAGE_BLOCKED, rolloutBlockedIn } from "@/components/blocked-reasons";
import { EndedRollouts, RolloutsCard } from "@/components/rollouts/rollout-summary";
import { BundleRolloutPanel, memberChange } from "./bundle-rollout-panel";

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
  const blockedIn = rolloutBlockedIn(actor, environments, MANAGE_BLOCKED);
  return (
    <RolloutsCard
      title="Guarded rollout"
      description="Every member a release changes reaches an environment step by step with one share, so a subject gets all the new versions or none; a guardrail significantly worse on any member rolls all back."
      label="Bundle rollouts under way"
      active={active}
      panel={(r) => <BundleRolloutPanel slug={slug} rollout={r} blocked={blockedIn(r.environment)} />}
      empty={
        <p className="text-sm text-slate-600" data-testid="no-bundle-rollout">
          No rollout of bundle {bundle} is under way. Start one from the release form: the versions chosen there reach a
          growing share of subjects (5, 25, 50, then 100 % by default) while their guardrails are watched.
        </p>
      }
    >
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
    </RolloutsCard>
  );
}
