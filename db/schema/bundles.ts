// Agent bundles (docs/decisions/bundles.md): a named set of prompts released as one. A release writes every changed
// member's deployment in one transaction and one row here naming the versions it released, so the
// bundle's history, its rollback and its resolve read one consistent set. Only lib/release writes these.
import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
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
import { ownedBy, uuidKey, writtenAt } from "./columns";
import { projects } from "./projects";
import { prompts } from "./prompts";
import { environments, reviewRequests } from "./releases";
import { users } from "./users";

export const bundles = pgTable(
  "bundles",
  {
    id: uuidKey(),
    projectId: ownedBy(() => projects.id),
    name: text().notNull(),
    description: text().notNull().default(""),
    createdByLabel: text().notNull().default(""),
    createdAt: writtenAt(),
  },
  (t) => [unique().on(t.projectId, t.name), check("bundles_name", sql`length(${t.name}) between 1 and 100`)],
);

export const bundleMembers = pgTable(
  "bundle_members",
  {
    bundleId: ownedBy(() => bundles.id),
    promptId: ownedBy(() => prompts.id),
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
    bundleId: ownedBy(() => bundles.id),
    environmentId: ownedBy(() => environments.id),
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

// One review of a bundle release: a review request per member that changes, decided together.
// Approving one approves them all in one transaction and (with deployOnApprove) releases the bundle with
// `versions`; rejecting or cancelling one does the same to all. Each member's plan reads its own row.
export const bundleReviews = pgTable(
  "bundle_reviews",
  {
    id: uuidKey(),
    bundleId: ownedBy(() => bundles.id),
    environmentId: ownedBy(() => environments.id),
    /** Every member's version, as the release on approval will set them. */
    versions: jsonb().$type<BundleVersions>().notNull(),
    deployOnApprove: boolean().notNull().default(true),
    requestedByLabel: text().notNull().default(""),
    createdAt: writtenAt(),
  },
  (t) => [index().on(t.bundleId, t.environmentId)],
);

export const bundleReviewMembers = pgTable(
  "bundle_review_members",
  {
    bundleReviewId: ownedBy(() => bundleReviews.id),
    reviewId: uuid()
      .notNull()
      .unique()
      .references(() => reviewRequests.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.bundleReviewId, t.reviewId] })],
);
