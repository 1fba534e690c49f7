// Projects and who may do what in them: memberships (one role each), API keys, invitations.
// (A project's environments live beside the deployments they receive, in releases.ts.)
import { index, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { ownedBy, refOrNull, uuidKey, writtenAt } from "./columns";
import { users } from "./users";

export const roleEnum = pgEnum("role", ["viewer", "editor", "approver", "admin"]);
export const apiKeyScopeEnum = pgEnum("api_key_scope", ["runtime", "admin", "skills"]);

export const projects = pgTable("projects", {
  id: uuidKey(),
  slug: text().notNull().unique(),
  name: text().notNull(),
  // Shown on the settings page; accepted as the HTTP Basic username by the Langfuse-compatible API.
  publicId: text().notNull().unique(),
  createdAt: writtenAt(),
});

export const memberships = pgTable(
  "memberships",
  {
    projectId: ownedBy(() => projects.id),
    userId: ownedBy(() => users.id),
    role: roleEnum().notNull(),
    createdAt: writtenAt(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] }), index().on(t.userId)],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuidKey(),
    projectId: ownedBy(() => projects.id),
    name: text().notNull(),
    scope: apiKeyScopeEnum().notNull(),
    // SHA-256 of the whole key, hex. The key itself is shown once and never stored.
    keyHash: text().notNull().unique(),
    // The first characters of the key, to tell keys apart in lists ("lk_live_ab12…").
    prefix: text().notNull(),
    createdBy: refOrNull(() => users.id),
    createdAt: writtenAt(),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    // Runtime keys may be limited to some environments (null: every environment).
    environments: text().array(),
  },
  (t) => [index().on(t.projectId)],
);

// Invitations to join a project: a one-time link the invitee redeems to create their account (or,
// for an existing account, after signing in as it). Only the token's hash is stored.
export const invitations = pgTable(
  "invitations",
  {
    id: uuidKey(),
    projectId: ownedBy(() => projects.id),
    email: text().notNull(),
    role: roleEnum().notNull(),
    tokenHash: text().notNull().unique(),
    invitedBy: refOrNull(() => users.id),
    createdAt: writtenAt(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    acceptedBy: refOrNull(() => users.id),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.projectId)],
);

// Work a project may run one at a time across instances, longer than a transaction (a Langfuse import reads for
// up to five minutes): held by the row, taken when it is free or its holder's time is up (lib/jobs/leases.ts).
export const projectLeases = pgTable(
  "project_leases",
  {
    projectId: ownedBy(() => projects.id),
    // What is held: "langfuse-import".
    name: text().notNull(),
    // Who holds it: a random token, so only its holder lets it go.
    holder: uuid().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.name] })],
);
