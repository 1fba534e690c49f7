import { authorize, type Permission, type Actor } from "@/lib/auth/permissions";

/** Why the actor may not do an action (the same sentence the server would answer), or null if they may. */
export function blockedReason(actor: Actor, action: Permission): string | null {
  try {
    authorize(actor, action);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : "You are not allowed to do this.";
  }
}
