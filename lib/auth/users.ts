// Users and password sign-in. Failed sign-ins are limited per account and per IP address.
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { users } from "../../db/schema";
import { parseInput } from "../validation";
import { AppError, isUniqueViolation } from "../errors";
import { dummyHash, hashPassword, verifyPassword } from "./password";
import { currentCounts, increment, reset, type Window } from "./rate-limit";

export const emailInput = z.email({ error: "email must be an email address" }).max(254).transform((e) => e.toLowerCase());
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
    if (isUniqueViolation(e)) throw new AppError("conflict", `A user with email ${data.email} already exists.`, { field: "email" });
    throw e;
  }
}

export async function findUserByEmail(db: Db, email: string) {
  const [row] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  return row;
}

export async function setPassword(db: Db, userId: string, password: string): Promise<void> {
  await db.update(users).set({ passwordHash: await hashPassword(parseInput(passwordInput, password, "password")) }).where(eq(users.id, userId));
}

/**
 * Checks an email and password. Throws `rate_limited` once an account or an IP has had too many
 * failures in the window, `unauthorized` on a wrong email or password (one message for both).
 */
export async function verifyCredentials(
  db: Db,
  input: { email: string; password: string; ip?: string },
  limits: Window,
  now = new Date(),
): Promise<PublicUser> {
  const email = input.email.trim().toLowerCase();
  const keys = [`signin:account:${email}`, ...(input.ip ? [`signin:ip:${input.ip}`] : [])];
  if ((await currentCounts(db, keys, limits, now)) >= limits.limit)
    throw new AppError("rate_limited", "Too many failed sign-in attempts. Try again later.", { retryAfterSeconds: limits.seconds });
  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(input.password, user?.passwordHash ?? dummyHash);
  if (!user || !user.passwordHash || !ok || user.disabledAt) {
    await increment(db, keys, limits, now);
    throw new AppError("unauthorized", "Wrong email or password.");
  }
  await reset(db, [keys[0]!]);
  return { id: user.id, email: user.email, name: user.name };
}
