// Server-side sessions behind the sign-in cookie. The cookie is a JWT naming a random session id;
// this table decides whether that id is still good, so signing out, changing a password or an
// admin disabling someone ends their sessions on every instance at once.
import { and, desc, eq, gt, isNull, lt, ne, or } from "drizzle-orm";
import type { Db } from "../../db/client";
import { sessions, users } from "../../db/schema";
import { newToken, tokenHash } from "./tokens";

export const sessionTtlMs = 7 * 24 * 3600 * 1000;

export async function createSession(
  db: Db,
  userId: string,
  meta: { userAgent?: string; ip?: string } = {},
  now = new Date(),
) {
  const { token: id, hash } = newToken();
  const expiresAt = new Date(now.getTime() + sessionTtlMs);
  await db.insert(sessions).values({
    idHash: hash,
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
    ip: meta.ip ?? null,
  });
  return { id, expiresAt };
}

export type SessionUser = { id: string; email: string; name: string };

/** The user of a live session, or null (unknown, revoked, expired session; disabled user). */
export async function validateSession(
  db: Db,
  sessionId: string | undefined,
  now = new Date(),
): Promise<SessionUser | null> {
  if (!sessionId) return null;
  const hash = tokenHash(sessionId);
  const [row] = await db
    .select({ id: users.id, email: users.email, name: users.name, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(eq(sessions.idHash, hash), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), isNull(users.disabledAt)),
    );
  if (!row) return null;
  // Last seen, at most once a minute: reading a page must not write every time.
  if (now.getTime() - row.lastSeenAt.getTime() > 60_000)
    await db
      .update(sessions)
      .set({ lastSeenAt: now })
      .where(and(eq(sessions.idHash, hash), lt(sessions.lastSeenAt, new Date(now.getTime() - 60_000))));
  return { id: row.id, email: row.email, name: row.name };
}

export async function revokeSession(db: Db, sessionId: string, now = new Date()): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.idHash, tokenHash(sessionId)), isNull(sessions.revokedAt)));
}

/** Ends every session of a user, except optionally the one making the request. Returns how many ended. */
export async function revokeUserSessions(
  db: Db,
  userId: string,
  opts: { except?: string; now?: Date } = {},
): Promise<number> {
  const where = [eq(sessions.userId, userId), isNull(sessions.revokedAt)];
  if (opts.except) where.push(ne(sessions.idHash, tokenHash(opts.except)));
  const rows = await db
    .update(sessions)
    .set({ revokedAt: opts.now ?? new Date() })
    .where(and(...where))
    .returning({ id: sessions.idHash });
  return rows.length;
}

/** A user's live sessions, newest first, with the caller's own marked. */
export async function listSessions(db: Db, userId: string, current: string | undefined, now = new Date()) {
  const rows = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.lastSeenAt));
  const mine = current ? tokenHash(current) : undefined;
  return rows.map((r) => ({
    createdAt: r.createdAt,
    lastSeenAt: r.lastSeenAt,
    userAgent: r.userAgent,
    ip: r.ip,
    current: r.idHash === mine,
  }));
}

/** Housekeeping: drops sessions that ended more than a day ago. */
/** Deletes sessions that expired or were revoked over a day ago; returns how many it deleted. */
export async function pruneSessions(db: Db, now = new Date()): Promise<number> {
  const dayAgo = new Date(now.getTime() - 24 * 3600 * 1000);
  const deleted = await db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, dayAgo), lt(sessions.revokedAt, dayAgo)))
    .returning({ idHash: sessions.idHash });
  return deleted.length;
}
