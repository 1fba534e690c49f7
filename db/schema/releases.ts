// The release aggregate: environments (the promotion path and its rules), the append-only deployment
// log, review requests, and version labels.
// Only lib/release writes these tables (CONTRIBUTING.md, "The database keeps the invariants").
import {
  bigserial,
  boolean,
  check,
  doublePrecision,
  foreignKey,
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
import { ownedBy, uuidKey, writtenAt } from "./columns";
import { sql } from "drizzle-orm";
// Types only (erased at build): the column shapes are defined with the code that validates them.
import type { RunScorers } from "../../lib/evaluation/contracts";
import type { ExperimentEffects } from "../../lib/release/composing";
import type { GuardedRolloutRule } from "../../lib/release/rollout-rule";
import { datasets } from "./evaluation";
import { projects } from "./projects";
import { promptVersions, prompts } from "./prompts";
import { users } from "./users";

export const environments = pgTable(
  "environments",
  {
    id: uuidKey(),
    projectId: ownedBy(() => projects.id),
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
    // The gate's own scorers (normalised specs, lib/scorers parseScorerSpecs): only runs made
    // with exactly these count for the gate and for auto-promote, so nobody passes it with a scorer of
    // their choosing. Set whenever the gate is.
    gateScorers: jsonb().$type<RunScorers>(),
    // How the gate compares the version with the live one: threshold (minScore and maxDrop), paired (no
    // gate scorer significantly worse than the live version's run on the same items, Holm-adjusted paired
    // t), or both.
    gateMode: text().$type<"threshold" | "paired" | "both">().notNull().default("threshold"),
    // Auto-promote: a completed run on the gate's dataset scoring at least this promotes the version here.
    autoPromoteMinScore: doublePrecision(),
    // Shadow gate: releasing here needs the version's shadow answers to this many live inputs of the
    // environment's live version with no scorer significantly worse (lib/release/plan/shadow-facts.ts); null: off.
    shadowMinInputs: integer(),
    // Guarded rollouts only: every release here ramps as a guarded rollout, with these steps by
    // default (null steps: the rollouts' default); null: off (lib/release/rollout-rule.ts).
    guardedRollout: jsonb().$type<GuardedRolloutRule>(),
    createdAt: writtenAt(),
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
    check("environments_gate_mode", sql`${t.gateMode} in ('threshold', 'paired', 'both')`),
    check(
      "environments_shadow_min_inputs",
      sql`${t.shadowMinInputs} is null or ${t.shadowMinInputs} between 5 and 100000`,
    ),
    check(
      "environments_auto_promote",
      sql`${t.autoPromoteMinScore} is null or (${t.gateDatasetId} is not null and ${t.autoPromoteMinScore} between 0 and 1)`,
    ),
  ],
);

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
    // What the release does to experiments running on prompts that include this one there: a new
    // phase for each, or a stop, as the person chose; the trigger of migration 0048 applies it.
    experimentEffects: jsonb().$type<ExperimentEffects[]>(),
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
    id: uuidKey(),
    promptId: ownedBy(() => prompts.id),
    version: integer().notNull(),
    environmentId: ownedBy(() => environments.id),
    status: reviewStatusEnum().notNull().default("pending"),
    requestedBy: uuid().references(() => users.id),
    requestedByLabel: text().notNull().default(""),
    message: text().notNull().default(""),
    deployOnApprove: boolean().notNull().default(false),
    decidedBy: uuid().references(() => users.id),
    decisionComment: text(),
    decidedAt: timestamp({ withTimezone: true }),
    createdAt: writtenAt(),
  },
  (t) => [
    foreignKey({ columns: [t.promptId, t.version], foreignColumns: [promptVersions.promptId, promptVersions.version] }),
    index().on(t.promptId, t.status),
  ],
);

export const reviewComments = pgTable("review_comments", {
  id: uuidKey(),
  reviewId: ownedBy(() => reviewRequests.id),
  authorId: uuid().references(() => users.id),
  body: text().notNull(),
  createdAt: writtenAt(),
});

// Version labels: a name for one version of one prompt (`v1.2`, `approved`), fetchable by any client, moved
// without release rules (docs/decisions/version-labels.md). One row per (prompt, label), moved in place; every
// move is an audit row (`version_label.set` / `version_label.remove`), which is their history. Triggers of
// migration "version_labels": a label never names one of the project's environments (nor an environment a
// label), never points at a deleted version, and belongs to its prompt's project.
export const versionLabels = pgTable(
  "version_labels",
  {
    promptId: ownedBy(() => prompts.id),
    projectId: ownedBy(() => projects.id),
    label: text().notNull(),
    version: integer().notNull(),
    actorId: uuid().references(() => users.id, { onDelete: "set null" }),
    actorLabel: text().notNull().default(""),
    createdAt: writtenAt(),
    // When it last moved (clock_timestamp: two moves in one transaction still differ).
    updatedAt: timestamp({ withTimezone: true })
      .notNull()
      .default(sql`clock_timestamp()`),
  },
  (t) => [
    primaryKey({ columns: [t.promptId, t.label] }),
    foreignKey({ columns: [t.promptId, t.version], foreignColumns: [promptVersions.promptId, promptVersions.version] }),
    index().on(t.projectId, t.label),
    // Langfuse's label alphabet, 1–36 characters; not only dots (a URL path segment); `latest` is the newest version.
    check(
      "version_labels_label_format",
      sql`${t.label} ~ '^[a-z0-9_.-]{1,36}$' and ${t.label} !~ '^[.]+$' and ${t.label} <> 'latest'`,
    ),
  ],
);

// Every move of a version label, in order: where it pointed afterwards (null: removed) and before. Append-only
// (trigger of migration "version_labels"), like the deployment log: a version's Langfuse `updatedAt` reads
// when a label arrived at it or left it from here.
export const versionLabelMoves = pgTable(
  "version_label_moves",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    promptId: ownedBy(() => prompts.id),
    projectId: ownedBy(() => projects.id),
    label: text().notNull(),
    version: integer(),
    previous: integer(),
    actorId: uuid().references(() => users.id),
    actorLabel: text().notNull().default(""),
    createdAt: timestamp({ withTimezone: true })
      .notNull()
      .default(sql`clock_timestamp()`),
  },
  (t) => [
    foreignKey({ columns: [t.promptId, t.version], foreignColumns: [promptVersions.promptId, promptVersions.version] }),
    index().on(t.promptId, t.label, t.id),
  ],
);
