// Sign-in attempt limits, shared by every instance through the database. An attempt is reserved
// under a row lock *before* the password is checked, so parallel guesses cannot all get through
// while the first ones are still hashing.
//   Per IP: a fixed window of at most `ipFailures` attempts (a success gives its attempt back).
//   Per account: `accountFreeFailures` failures in the window, then an exponential back-off
//   (2 s, 4 s, 8 s … up to `maxBackoffSeconds`), never a hard lock. Someone trying to lock a
//   victim out must first get past the per-IP limit on many addresses, and still only delays them.
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { rateLimits } from "../../db/schema";

export interface SigninLimits {
  ipFailures: number;
  accountFreeFailures: number;
  windowSeconds: number;
  maxBackoffSeconds: number;
}

export type Reservation = { ok: true } | { ok: false; retryAfterSeconds: number };

export const ipKey = (ip: string) => `signin:ip:${ip}`;
export const accountKey = (email: string) => `signin:account:${email.trim().toLowerCase()}`;

/** Back-off after the free failures: 2^n seconds for the n-th extra failure, capped. */
export const backoffSeconds = (extraFailures: number, cap: number) => Math.min(cap, 2 ** Math.min(extraFailures, 30));

async function lockedRow(tx: Db, key: string, now: Date) {
  await tx.insert(rateLimits).values({ key, windowStart: now, count: 0 }).onConflictDoNothing();
  const [row] = await tx.select().from(rateLimits).where(eq(rateLimits.key, key)).for("update");
  return row!;
}

const secondsUntil = (t: Date, now: Date) => Math.max(1, Math.ceil((t.getTime() - now.getTime()) / 1000));

/** A fixed window of at most `max` reservations per key (any limited action, e.g. password-reset mail). */
export async function reserveFixedWindow(
  db: Db,
  key: string,
  max: number,
  windowSeconds: number,
  now = new Date(),
): Promise<Reservation> {
  return db.transaction(async (tx) => {
    const row = await lockedRow(tx, key, now);
    const windowEnd = new Date(row.windowStart.getTime() + windowSeconds * 1000);
    const expired = windowEnd <= now;
    const count = expired ? 0 : row.count;
    if (count >= max) return { ok: false, retryAfterSeconds: secondsUntil(windowEnd, now) };
    await tx
      .update(rateLimits)
      .set({ count: count + 1, windowStart: expired ? now : row.windowStart })
      .where(eq(rateLimits.key, row.key));
    return { ok: true };
  });
}

export const reserveIp = (db: Db, ip: string, limits: SigninLimits, now = new Date()) =>
  reserveFixedWindow(db, ipKey(ip), limits.ipFailures, limits.windowSeconds, now);

export async function reserveAccount(
  db: Db,
  email: string,
  limits: SigninLimits,
  now = new Date(),
): Promise<Reservation> {
  return db.transaction(async (tx) => {
    const row = await lockedRow(tx, accountKey(email), now);
    const expired =
      row.windowStart.getTime() + limits.windowSeconds * 1000 <= now.getTime() &&
      !(row.blockedUntil && row.blockedUntil > now);
    if (row.blockedUntil && row.blockedUntil > now)
      return { ok: false, retryAfterSeconds: secondsUntil(row.blockedUntil, now) };
    const count = (expired ? 0 : row.count) + 1;
    const extra = count - limits.accountFreeFailures;
    const blockedUntil =
      extra > 0 ? new Date(now.getTime() + backoffSeconds(extra, limits.maxBackoffSeconds) * 1000) : null;
    await tx
      .update(rateLimits)
      .set({ count, windowStart: expired ? now : row.windowStart, blockedUntil })
      .where(eq(rateLimits.key, row.key));
    return { ok: true };
  });
}

/** A successful sign-in: the account starts afresh; the IP gets its own attempt back (other accounts' failures stay). */
export async function settleSuccess(db: Db, email: string, ip: string | undefined): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, accountKey(email)));
  if (ip) await refundIp(db, ip);
}

export async function refundIp(db: Db, ip: string): Promise<void> {
  await db
    .update(rateLimits)
    .set({ count: sql`greatest(${rateLimits.count} - 1, 0)` })
    .where(eq(rateLimits.key, ipKey(ip)));
}
