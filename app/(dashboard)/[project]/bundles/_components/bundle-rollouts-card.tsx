import { deployAction, type Actor } from "@/lib/auth/permissions";
import type { BundleRolloutsIn } from "@/lib/views/bundle-rollouts-overview";
import { blockedReason } from "@/components/permissions";
import { RolloutStatusBadge } from "@/components/rollouts/rollout-log";
import { Card } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { BundleRolloutPanel, memberChange } from "./bundle-rollout-panel";

/** The sentence a viewer or editor reads on every rollout button (starting and acting need approver or admin). */
export const MANAGE_BLOCKED = "Approvers and admins manage rollouts.";

/** Why this person may not start or move a rollout in an environment, or null. */
export function rolloutBlocked(actor: Actor, environment: { protected: boolean }) {
  return blockedReason(actor, "experiment.manage") ? MANAGE_BLOCKED : blockedReason(actor, deployAction(environment));
}

/**
 * The bundle's guarded rollouts (issues 42 and 43), per environment: the one under way with its share, its
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
        {active.length ? (
          <ul className="flex flex-col gap-4" aria-label="Bundle rollouts under way">
            {active.map((r) => (
              <li key={r.id}>
                <BundleRolloutPanel slug={slug} rollout={r} blocked={blockedIn(r.environment)} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-600" data-testid="no-bundle-rollout">
            No rollout of bundle {bundle} is under way. Start one from the release form: the versions chosen there reach
            a growing share of subjects (5, 25, 50, then 100 % by default) while their guardrails are watched.
          </p>
        )}
        {ended.length ? (
          <section aria-labelledby="bundle-rollouts-ended-title">
            <h3 id="bundle-rollouts-ended-title" className="text-sm font-semibold text-slate-900">
              Ended rollouts
            </h3>
            <ul className="mt-1 flex flex-col divide-y divide-slate-100" data-testid="ended-bundle-rollouts">
              {ended.slice(0, 10).map((r) => {
                const last = r.decisions[r.decisions.length - 1];
                return (
                  <li
                    key={r.id}
                    data-status={r.status}
                    className="flex flex-wrap items-center gap-x-2 gap-y-1 py-2 text-sm"
                  >
                    <span className="font-medium text-slate-900">→ {r.environment}</span>
                    <RolloutStatusBadge status={r.status} />
                    <span className="text-slate-700">{r.members.map(memberChange).join(", ")}</span>
                    {r.endedAt ? (
                      <span className="text-xs text-slate-600">
                        <Time value={r.endedAt} />
                      </span>
                    ) : null}
                    {last?.reason ? (
                      <span className="basis-full break-words text-xs text-slate-600">
                        “{last.reason}”{last.automatic ? ` (automatic, ${last.by})` : ` (${last.by})`}
                      </span>
                    ) : null}
                  </li>
                );
              })}
            </ul>
            {ended.length > 10 ? <p className="mt-1 text-xs text-slate-600">And {ended.length - 10} earlier.</p> : null}
          </section>
        ) : null}
      </div>
    </Card>
  );
}
