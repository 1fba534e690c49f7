import { refusal, type Permission, type Actor } from "@/lib/auth/permissions";

/** Why the actor may not use a permission (the same sentence the server would answer), or null if they may. */
export function blockedReason(actor: Actor, permission: Permission): string | null {
  return refusal(actor, permission)?.message ?? null;
}
