// Users and password sign-in. Failed sign-ins are limited per account and per IP address.
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { users } from "../../db/schema";
import { parseInput } from "../validation";
import { AppError, isUniqueViolation } from "../errors";
import { dummyHash, hashPassword, verifyPassword } from "./password";
import { revokeUserSessions } from "./sessions";
import { refundIp, reserveAccount, reserveIp, settleSuccess, type SigninLimits } from "./signin-limits";

export const emailInput = z
  .email({ error: "email must be an email address" })
  .max(254)
  .transform((e) => e.toLowerCase());
export const passwordInput = z
  .string({ error: "password is required" })
  .min(8, { error: "password must be at least 8 characters" })
  .max(200, { error: "password must be at most 200 characters" });

export const createUserInput = z.object({
  email: emailInput,
  name: z.string().trim().min(1, { error: "name is required" }).max(100),
  password: passwordInput.optional(),
});
export type CreateUserInput = z.input<typeof createUserInput>;

export type PublicUser = { id: string; email: string; name: string };

export async function createUser(db: Db, input: CreateUserInput): Promise<PublicUser> {
  const data = parseInput(createUserInput, input);
  const passwordHash = data.password ? await hashPassword(data.password) : null;
  try {
    const [row] = await db
      .insert(users)
      .values({ email: data.email, name: data.name, passwordHash })
      .returning({ id: users.id, email: users.email, name: users.name });
    return row!;
  } catch (e) {
    if (isUniqueViolation(e))
      throw new AppError("conflict", `A user with email ${data.email} already exists.`, { field: "email" });
    throw e;
  }
}

export async function findUserById(db: Db, id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function findUserByEmail(db: Db, email: string) {
  const [row] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  return row;
}

/** Sets a password (operator paths: bootstrap, CLI). A changed password ends the user's sessions. */
export async function setPassword(db: Db, userId: string, password: string): Promise<void> {
  const next = parseInput(passwordInput, password, "password");
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (row?.passwordHash && (await verifyPassword(next, row.passwordHash))) return; // unchanged (e.g. the same admin password at each start)
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(next) })
    .where(eq(users.id, userId));
  await revokeUserSessions(db, userId);
}

/**
 * Checks an email and password. Throws `rate_limited` (with retryAfterSeconds) when the IP or the
 * account is over its limit — decided before the password is checked — and `unauthorized` on a
 * wrong email or password (one message for both).
 */
export async function verifyCredentials(
  db: Db,
  input: { email: string; password: string; ip?: string },
  limits: SigninLimits,
  now = new Date(),
): Promise<PublicUser> {
  const email = input.email.trim().toLowerCase();
  const limited = (retryAfterSeconds: number) =>
    new AppError(
      "rate_limited",
      `Too many failed sign-in attempts. Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}.`,
      { retryAfterSeconds },
    );
  if (input.ip) {
    const ip = await reserveIp(db, input.ip, limits, now);
    if (!ip.ok) throw limited(ip.retryAfterSeconds);
  }
  const account = await reserveAccount(db, email, limits, now);
  if (!account.ok) {
    // No password was checked: the attempt does not count against the address.
    if (input.ip) await refundIp(db, input.ip);
    throw limited(account.retryAfterSeconds);
  }
  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(input.password, user?.passwordHash ?? dummyHash);
  if (!user || !user.passwordHash || !ok || user.disabledAt)
    throw new AppError("unauthorized", "Wrong email or password.");
  await settleSuccess(db, email, input.ip);
  return { id: user.id, email: user.email, name: user.name };
}
