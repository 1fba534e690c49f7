import { deployPermission, refusal, type Permission, type Actor } from "@/lib/auth/permissions";

/** Why the actor may not use a permission (the same sentence the server would answer), or null if they may. */
export function blockedReason(actor: Actor, permission: Permission): string | null {
  return refusal(actor, permission)?.message ?? null;
}

/** The sentence a viewer or editor reads on every rollout button (starting and acting need approver or admin). */
export const MANAGE_BLOCKED = "Approvers and admins manage rollouts.";

/** Why this person may not start or move a rollout in an environment, or null. */
export function rolloutBlocked(actor: Actor, environment: { protected: boolean }) {
  return blockedReason(actor, "experiment.manage")
    ? MANAGE_BLOCKED
    : blockedReason(actor, deployPermission(environment));
}

/** `rolloutBlocked` in the environment of that name, or `missing` when there is none. */
export const rolloutBlockedIn =
  (actor: Actor, environments: { name: string; protected: boolean }[], missing: string | null) => (name: string) => {
    const env = environments.find((e) => e.name === name);
    return env ? rolloutBlocked(actor, env) : missing;
  };
