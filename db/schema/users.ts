// Users and sign-in bookkeeping. Roles live on memberships (projects.ts), never on the user.
import { index, integer, pgTable, text, timestamp, unique } from "drizzle-orm/pg-core";
import { ownedBy, refOrNull, uuidKey, writtenAt } from "./columns";
import { sql } from "drizzle-orm";

export const users = pgTable("users", {
  id: uuidKey(),
  // Stored lower-cased; the unique constraint makes concurrent sign-ups with one email a conflict.
  email: text().notNull().unique(),
  name: text().notNull(),
  // `scrypt$N$r$p$salt$hash` (base64url); null for users who only sign in through OIDC/GitHub.
  passwordHash: text(),
  createdAt: writtenAt(),
  disabledAt: timestamp({ withTimezone: true }),
});

// A person's identity at an external provider, linked to one account: OpenID Connect's issuer and subject
// (GitHub: https://github.com and its user id). Sign-ins find their account by this pair, never by e-mail, so
// an address that changes, or that lower-casing would fold into another (the Kelvin sign), cannot move anyone
// into another account (lib/auth/sso.ts says when an e-mail may link a new identity).
export const userIdentities = pgTable(
  "user_identities",
  {
    id: uuidKey(),
    userId: ownedBy(() => users.id),
    issuer: text().notNull(),
    subject: text().notNull(),
    // The provider's id in this Lectern ("oidc", "github") and the address it gave when the link was made.
    provider: text().notNull(),
    email: text().notNull(),
    linkedAt: writtenAt(),
  },
  (t) => [unique().on(t.issuer, t.subject), index().on(t.userId)],
);

// Sign-in sessions, one row per signed-in browser. The session cookie (a JWT) names its row; a
// revoked or expired row ends the session at once on every instance, whatever the JWT says.
export const sessions = pgTable(
  "sessions",
  {
    // SHA-256 of the random session id carried in the JWT (hex); the id itself is never stored.
    idHash: text().primaryKey(),
    userId: ownedBy(() => users.id),
    createdAt: writtenAt(),
    lastSeenAt: writtenAt(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    revokedAt: timestamp({ withTimezone: true }),
    userAgent: text(),
    ip: text(),
  },
  (t) => [index().on(t.userId)],
);

// One-time links: a password reset for an existing user. Only the token's hash is stored.
export const passwordResets = pgTable(
  "password_resets",
  {
    id: uuidKey(),
    userId: ownedBy(() => users.id),
    tokenHash: text().notNull().unique(),
    requestedBy: refOrNull(() => users.id),
    createdAt: writtenAt(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.userId)],
);

// Counters shared by every instance (sign-in attempts per IP and per account). A row is reserved
// under a row lock before the password is checked, so parallel attempts cannot all slip through.
export const rateLimits = pgTable("rate_limits", {
  key: text().primaryKey(),
  windowStart: timestamp({ withTimezone: true })
    .notNull()
    .default(sql`now()`),
  count: integer().notNull().default(0),
  // Per-account back-off: no attempt is accepted before this instant.
  blockedUntil: timestamp({ withTimezone: true }),
});
