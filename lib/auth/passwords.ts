// Changing and resetting passwords. Either ends the user's other sessions. A reset is a one-time
// link: emailed to the user when mail is configured; otherwise shown to an admin only when that
// admin administers every project the user belongs to (so no admin can take over an account that
// also works in a project they do not run).
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { memberships, passwordResets, users } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { parseInput, isUuid } from "../validation";
import type { Actor } from "./permissions";
import { actorUserId, type AccountContext } from "../context";
import { hashPassword, verifyPassword } from "./password";
import { revokeUserSessions } from "./sessions";
import { invalidLinkError, isTokenShape, newToken, tokenHash } from "./tokens";
import { passwordInput } from "./users";

export const resetTtlMs = 3600 * 1000;

const userActor = (u: { id: string; email: string }): Actor => ({
  type: "user",
  id: u.id,
  label: u.email,
  role: "viewer",
});

export const changePasswordInput = z.object({
  current: z
    .string({ error: "current password is required" })
    .min(1, { error: "current password is required" })
    .max(200),
  next: passwordInput,
});

/** The signed-in user changes their own password; every other session of theirs ends. */
export async function changePassword(
  db: Db,
  userId: string,
  input: z.input<typeof changePasswordInput>,
  currentSessionId?: string,
) {
  const data = parseInput(changePasswordInput, input);
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new AppError("not_found", "No such user.");
  if (!user.passwordHash || !(await verifyPassword(data.current, user.passwordHash)))
    throw new AppError("forbidden", "The current password is not right.", { field: "current" });
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(data.next) })
    .where(eq(users.id, userId));
  const ended = await revokeUserSessions(db, userId, { except: currentSessionId });
  await recordAudit(db, {
    projectId: null,
    actor: userActor(user),
    action: "user.password_change",
    objectType: "user",
    objectId: userId,
    after: { sessionsEnded: ended },
  });
  return { sessionsEnded: ended };
}

/**
 * Whether the acting user may be shown a reset link for `targetUserId`: they administer every
 * project the target belongs to (and the target belongs to at least one), or it is themselves.
 */
export async function mayRevealResetLink(ctx: AccountContext, targetUserId: string): Promise<boolean> {
  const { db } = ctx;
  const userId = actorUserId(ctx);
  if (!userId) return false; // only a person is shown a link
  if (userId === targetUserId) return true;
  const target = await db
    .select({ projectId: memberships.projectId })
    .from(memberships)
    .where(eq(memberships.userId, targetUserId));
  if (!target.length) return false;
  const mine = await db
    .select({ projectId: memberships.projectId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.userId, userId));
  const administered = new Set(mine.filter((m) => m.role === "admin").map((m) => m.projectId));
  return target.every((t) => administered.has(t.projectId));
}

/** Creates a one-time reset link for a user; the caller decides how it reaches them. */
export async function createPasswordReset(ctx: AccountContext, targetUserId: string, now = new Date()) {
  const { db, actor } = ctx;
  if (!isUuid(targetUserId)) throw new AppError("not_found", "No such user.");
  const [target] = await db.select({ id: users.id, email: users.email }).from(users).where(eq(users.id, targetUserId));
  if (!target) throw new AppError("not_found", "No such user.");
  const { token, hash } = newToken();
  const expiresAt = new Date(now.getTime() + resetTtlMs);
  await db
    .insert(passwordResets)
    .values({ userId: target.id, tokenHash: hash, requestedBy: actor.type === "user" ? actor.id : null, expiresAt });
  await recordAudit(db, {
    projectId: null,
    actor,
    action: "user.password_reset_request",
    objectType: "user",
    objectId: target.id,
  });
  return { token, expiresAt, email: target.email };
}

const invalidLink = invalidLinkError(
  "This password reset link is not valid: it was already used or has expired. Ask for a new one.",
);

export async function describePasswordReset(db: Db, token: string, now = new Date()) {
  if (!isTokenShape(token)) throw invalidLink();
  const [row] = await db
    .select({ reset: passwordResets, email: users.email })
    .from(passwordResets)
    .innerJoin(users, eq(users.id, passwordResets.userId))
    .where(eq(passwordResets.tokenHash, tokenHash(token)));
  if (!row || row.reset.usedAt || row.reset.expiresAt <= now) throw invalidLink();
  return { email: row.email, expiresAt: row.reset.expiresAt };
}

/** Redeems a reset link once (row lock): sets the password and ends every session of the user. */
export async function resetPassword(db: Db, token: string, password: string, now = new Date()) {
  if (!isTokenShape(token)) throw invalidLink();
  const next = parseInput(passwordInput, password, "password");
  const user = await db.transaction(async (tx) => {
    const [reset] = await tx
      .select()
      .from(passwordResets)
      .where(eq(passwordResets.tokenHash, tokenHash(token)))
      .for("update");
    if (!reset || reset.usedAt || reset.expiresAt <= now) throw invalidLink();
    const [u] = await tx
      .update(users)
      .set({ passwordHash: await hashPassword(next) })
      .where(eq(users.id, reset.userId))
      .returning({ id: users.id, email: users.email });
    await tx.update(passwordResets).set({ usedAt: now }).where(eq(passwordResets.id, reset.id));
    // Older links for the same user die with this one.
    await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.userId, reset.userId), isNull(passwordResets.usedAt)));
    return u!;
  });
  const ended = await revokeUserSessions(db, user.id, { now });
  await recordAudit(db, {
    projectId: null,
    actor: userActor(user),
    action: "user.password_reset",
    objectType: "user",
    objectId: user.id,
    after: { sessionsEnded: ended },
  });
  return { email: user.email };
}
