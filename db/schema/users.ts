// Users and sign-in bookkeeping. Roles live on memberships (projects.ts), never on the user.
import { integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";

export const users = pgTable("users", {
  id: uuid().primaryKey().defaultRandom(),
  // Stored lower-cased; the unique constraint makes concurrent sign-ups with one email a conflict.
  email: text().notNull().unique(),
  name: text().notNull(),
  // `scrypt$N$r$p$salt$hash` (base64url); null for users who only sign in through OIDC/GitHub.
  passwordHash: text(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  disabledAt: timestamp({ withTimezone: true }),
});

// Fixed-window counters shared by every instance (failed sign-ins per account and per IP).
export const rateLimits = pgTable("rate_limits", {
  key: text().primaryKey(),
  windowStart: timestamp({ withTimezone: true }).notNull().default(sql`now()`),
  count: integer().notNull().default(0),
});
