// The release aggregate: the append-only deployment log and review requests.
// Only lib/release writes these tables (CONTRIBUTING.md, "The database keeps the invariants").
import {
  bigserial,
  boolean,
  foreignKey,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { environments } from "./projects";
import { promptVersions, prompts } from "./prompts";
import { users } from "./users";

export const deploymentActionEnum = pgEnum("deployment_action", [
  "promote",
  "rollback",
  "auto_rollback",
  "auto_promote",
]);
export const reviewStatusEnum = pgEnum("review_status", ["pending", "approved", "rejected", "cancelled"]);

// What an environment serves is its newest row. Insert-only (trigger in migration 0001).
export const deployments = pgTable(
  "deployments",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    promptId: uuid()
      .notNull()
      .references(() => prompts.id),
    environmentId: uuid()
      .notNull()
      .references(() => environments.id),
    version: integer().notNull(),
    action: deploymentActionEnum().notNull(),
    actorId: uuid().references(() => users.id),
    actorLabel: text().notNull().default(""),
    reason: text().notNull().default(""),
    // clock_timestamp, not now(): two deployments in one transaction still get distinct instants.
    createdAt: timestamp({ withTimezone: true })
      .notNull()
      .default(sql`clock_timestamp()`),
  },
  (t) => [
    // A deployment can only point at a version of its own prompt.
    foreignKey({ columns: [t.promptId, t.version], foreignColumns: [promptVersions.promptId, promptVersions.version] }),
    index().on(t.promptId, t.environmentId, t.id),
    index().on(t.environmentId, t.createdAt),
  ],
);

export const reviewRequests = pgTable(
  "review_requests",
  {
    id: uuid().primaryKey().defaultRandom(),
    promptId: uuid()
      .notNull()
      .references(() => prompts.id, { onDelete: "cascade" }),
    version: integer().notNull(),
    environmentId: uuid()
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    status: reviewStatusEnum().notNull().default("pending"),
    requestedBy: uuid().references(() => users.id),
    requestedByLabel: text().notNull().default(""),
    message: text().notNull().default(""),
    deployOnApprove: boolean().notNull().default(false),
    decidedBy: uuid().references(() => users.id),
    decisionComment: text(),
    decidedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.promptId, t.version], foreignColumns: [promptVersions.promptId, promptVersions.version] }),
    index().on(t.promptId, t.status),
  ],
);

export const reviewComments = pgTable("review_comments", {
  id: uuid().primaryKey().defaultRandom(),
  reviewId: uuid()
    .notNull()
    .references(() => reviewRequests.id, { onDelete: "cascade" }),
  authorId: uuid().references(() => users.id),
  body: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
