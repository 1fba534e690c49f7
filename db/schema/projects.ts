// Projects and who may do what in them: memberships (one role each), API keys, environments.
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { datasets } from "./evaluation";
import { users } from "./users";

export const roleEnum = pgEnum("role", ["viewer", "editor", "approver", "admin"]);
export const apiKeyScopeEnum = pgEnum("api_key_scope", ["runtime", "admin"]);

export const projects = pgTable("projects", {
  id: uuid().primaryKey().defaultRandom(),
  slug: text().notNull().unique(),
  name: text().notNull(),
  // Shown on the settings page; accepted as the HTTP Basic username by the Langfuse-compatible API.
  publicId: text().notNull().unique(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const memberships = pgTable(
  "memberships",
  {
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: roleEnum().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] }), index().on(t.userId)],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text().notNull(),
    scope: apiKeyScopeEnum().notNull(),
    // SHA-256 of the whole key, hex. The key itself is shown once and never stored.
    keyHash: text().notNull().unique(),
    // The first characters of the key, to tell keys apart in lists ("lk_live_ab12…").
    prefix: text().notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
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
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    email: text().notNull(),
    role: roleEnum().notNull(),
    tokenHash: text().notNull().unique(),
    invitedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    acceptedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.projectId)],
);

export const environments = pgTable(
  "environments",
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text().notNull(),
    // Order in the promotion path: development (0) → staging (1) → production (2) → …
    position: integer().notNull().default(0),
    // Only approvers and admins may deploy to a protected environment.
    protected: boolean().notNull().default(false),
    // Promotion rules: an approved review first; and/or live in another environment first.
    requiresReview: boolean().notNull().default(false),
    requiresLiveIn: text(),
    // Offline-evaluation gate: promoting here needs a completed run of the version on this dataset
    // (its current version) scoring at least gateMinScore and at most gateMaxDrop below the live
    // version's run on the same dataset version. All three set, or none.
    gateDatasetId: uuid().references((): AnyPgColumn => datasets.id, { onDelete: "restrict" }),
    gateMinScore: doublePrecision(),
    gateMaxDrop: doublePrecision(),
    // The dataset version the gate is pinned to (null: the dataset's current version at each check).
    gateDatasetVersion: integer(),
    // The gate's own scorers (normalised specs, lib/evaluation/scorers parseScorerSpecs): only runs made
    // with exactly these count for the gate and for auto-promote, so nobody passes it with a scorer of
    // their choosing. Set whenever the gate is.
    gateScorers: jsonb(),
    // Auto-promote: a completed run on the gate's dataset scoring at least this promotes the version here.
    autoPromoteMinScore: doublePrecision(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique().on(t.projectId, t.name),
    check(
      "environments_gate_complete",
      sql`(${t.gateDatasetId} is null) = (${t.gateMinScore} is null) and (${t.gateDatasetId} is null) = (${t.gateMaxDrop} is null) and (${t.gateDatasetId} is null) = (${t.gateScorers} is null) and (${t.gateDatasetId} is not null or ${t.gateDatasetVersion} is null)`,
    ),
    check(
      "environments_gate_range",
      sql`(${t.gateMinScore} is null or ${t.gateMinScore} between 0 and 1) and (${t.gateMaxDrop} is null or ${t.gateMaxDrop} between 0 and 1)`,
    ),
    check(
      "environments_auto_promote",
      sql`${t.autoPromoteMinScore} is null or (${t.gateDatasetId} is not null and ${t.autoPromoteMinScore} between 0 and 1)`,
    ),
  ],
);
