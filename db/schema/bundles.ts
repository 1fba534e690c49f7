// Agent bundles (issue 42): a named set of prompts released as one. A release writes every changed
// member's deployment in one transaction and one row here naming the versions it released, so the
// bundle's history, its rollback and its resolve read one consistent set. Only lib/release writes these.
import { sql } from "drizzle-orm";
import {
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { projects } from "./projects";
import { prompts } from "./prompts";
import { environments } from "./releases";
import { users } from "./users";

export const bundles = pgTable(
  "bundles",
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text().notNull(),
    description: text().notNull().default(""),
    createdByLabel: text().notNull().default(""),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique().on(t.projectId, t.name), check("bundles_name", sql`length(${t.name}) between 1 and 100`)],
);

export const bundleMembers = pgTable(
  "bundle_members",
  {
    bundleId: uuid()
      .notNull()
      .references(() => bundles.id, { onDelete: "cascade" }),
    promptId: uuid()
      .notNull()
      .references(() => prompts.id, { onDelete: "cascade" }),
    position: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.bundleId, t.promptId] })],
);

/** What one release of a bundle to an environment set: member name → version (all members, changed or not). */
export type BundleVersions = Record<string, number>;

export const bundleReleases = pgTable(
  "bundle_releases",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    bundleId: uuid()
      .notNull()
      .references(() => bundles.id, { onDelete: "cascade" }),
    environmentId: uuid()
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    versions: jsonb().$type<BundleVersions>().notNull(),
    // What each member served there just before (null: nothing): what a rollback of this release returns to.
    previous: jsonb().$type<Record<string, number | null>>().notNull(),
    action: text().$type<"release" | "rollback">().notNull(),
    actorId: uuid().references(() => users.id),
    actorLabel: text().notNull().default(""),
    reason: text().notNull().default(""),
    createdAt: timestamp({ withTimezone: true })
      .notNull()
      .default(sql`clock_timestamp()`),
  },
  (t) => [
    index().on(t.bundleId, t.environmentId, t.id),
    check("bundle_releases_action", sql`${t.action} in ('release', 'rollback')`),
  ],
);
