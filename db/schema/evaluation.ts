// Offline evaluation: datasets, their versions and items, evaluation runs and their item results.
// Online evaluation lives in online.ts. Only lib/evaluation writes these tables.
//
// Dataset versioning: every change (items added, edited or removed) makes a new dataset version. An
// item row is one revision of an item and carries the range of dataset versions it belongs to,
// [fromVersion, toVersion) with toVersion null while it is current. An edit closes the row and inserts
// a new revision (same `key`); a removal only closes it. Version v therefore reads exactly the rows with
// fromVersion <= v < coalesce(toVersion, ∞), and a run that pinned v reads the same items forever.
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
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
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { ownedBy, refOrNull, uuidKey, writtenAt } from "./columns";
import { projects } from "./projects";
import { jobTimes, versionOnDataset, versionOnDatasetKeys } from "./run-columns";
import { prompts } from "./prompts";
import { users } from "./users";
import type { FileEvaluator, ItemExpected, ItemInput, ItemMetadata, RunScorers } from "../../lib/evaluation/contracts";
import type { StoredRunSummary } from "../../lib/scorers/run-statistics";
import type { ScorerOutcome } from "../../lib/scorers/types";

export const datasets = pgTable(
  "datasets",
  {
    id: uuidKey(),
    projectId: ownedBy(() => projects.id),
    // Optional: a dataset tied to a prompt has its CSV cells parsed against the prompt's variable types.
    promptId: refOrNull(() => prompts.id),
    name: text().notNull(),
    description: text().notNull().default(""),
    // The scorers a run on this dataset uses when it names none (lib/scorers parseScorerSpecs output), e.g. a
    // .prompt.yml file's evaluators; null: the default scorers.
    scorers: jsonb().$type<RunScorers>(),
    // The .prompt.yml evaluators those scorers came from, as the file wrote them, each with the scorer it became
    // (null: kept for the export, not scored): what an export writes back (lib/evaluation/prompt-files).
    fileEvaluators: jsonb().$type<FileEvaluator[]>(),
    // The newest dataset version (0: empty, nothing added yet). Bumped under a row lock.
    currentVersion: integer().notNull().default(0),
    createdBy: refOrNull(() => users.id),
    createdAt: writtenAt(),
    updatedAt: writtenAt(),
  },
  (t) => [unique().on(t.projectId, t.name), check("datasets_current_version", sql`${t.currentVersion} >= 0`)],
);

export const datasetVersions = pgTable(
  "dataset_versions",
  {
    datasetId: ownedBy(() => datasets.id),
    version: integer().notNull(),
    itemCount: integer().notNull(),
    // What changed: "added 120 items", "edited item …", "removed 3 items".
    change: text().notNull().default(""),
    // A hash of the items' keys, inputs and expected answers in this version (computed in SQL by
    // lib/evaluation/datasets): two versions with the same items have the same fingerprint, so a run on
    // one counts for the other (an undone removal restores every gate result it had invalidated).
    fingerprint: text(),
    createdBy: refOrNull(() => users.id),
    createdByLabel: text().notNull().default(""),
    createdAt: writtenAt(),
  },
  (t) => [
    primaryKey({ columns: [t.datasetId, t.version] }),
    check("dataset_versions_version", sql`${t.version} >= 1`),
    check("dataset_versions_count", sql`${t.itemCount} >= 0`),
  ],
);

export const datasetItems = pgTable(
  "dataset_items",
  {
    // One revision of an item. API item ids are revision ids.
    id: uuidKey(),
    datasetId: ownedBy(() => datasets.id),
    // The item across its revisions.
    key: uuid().notNull().defaultRandom(),
    // Order within the dataset (import order); an edit keeps it.
    position: bigint({ mode: "number" }).notNull(),
    fromVersion: integer().notNull(),
    toVersion: integer(),
    input: jsonb().$type<ItemInput>().notNull(),
    expected: jsonb().$type<ItemExpected>(),
    tags: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    metadata: jsonb().$type<ItemMetadata>().notNull().default({}),
    // Where the item came from: "import", "api", "sample:<online sample id>", "playground".
    source: text().notNull().default("api"),
    createdAt: writtenAt(),
  },
  (t) => [
    index().on(t.datasetId, t.fromVersion, t.position),
    foreignKey({
      columns: [t.datasetId, t.fromVersion],
      foreignColumns: [datasetVersions.datasetId, datasetVersions.version],
    }),
    check("dataset_items_range", sql`${t.toVersion} is null or ${t.toVersion} > ${t.fromVersion}`),
    check("dataset_items_input_object", sql`jsonb_typeof(${t.input}) = 'object'`),
  ],
);

export const evalRunStatusEnum = pgEnum("eval_run_status", [
  "queued",
  "running",
  "completed",
  // Finished, but a weighted scorer could not score any answer (a judge that failed every time): no verdict.
  "unscored",
  "failed",
  "cancelled",
]);

export const evalRuns = pgTable(
  "eval_runs",
  {
    id: uuidKey(),
    ...versionOnDataset(),
    // Named scorer specs (lib/scorers parseScorerSpecs output).
    scorers: jsonb().$type<RunScorers>().notNull(),
    repetitions: integer().notNull().default(1),
    concurrency: integer().notNull().default(4),
    // The model connection the version runs on (null: the default connection).
    connection: text(),
    // What that connection was when the run started, as people read it ("Built-in scripted model (no
    // network, for the demo)", "Default (LLM_BASE_URL)"); null for runs recorded before it was kept.
    connectionName: text(),
    // The environment whose partials the version was rendered with (null: runs made before 0012,
    // rendered without partials).
    environment: text(),
    // Partials rendered at named versions instead of as the environment serves them: the
    // composed result a partial's candidate version makes of a prompt that includes it. Null: none.
    partialVersions: jsonb().$type<Record<string, number>>(),
    // The run a pairwise llm_judge compares this run's outputs with, item by item (same dataset version).
    baselineRunId: uuid().references((): AnyPgColumn => evalRuns.id, { onDelete: "set null" }),
    status: evalRunStatusEnum().notNull().default("queued"),
    // Item × repetition units: total is fixed at creation; done counts written results.
    total: integer().notNull(),
    done: integer().notNull().default(0),
    score: doublePrecision(),
    passRate: doublePrecision(),
    // Per-scorer and per-tag breakdowns, and the score's interval over items (lib/scorers).
    summary: jsonb().$type<StoredRunSummary>(),
    costUsd: doublePrecision().notNull().default(0),
    inputTokens: bigint({ mode: "number" }).notNull().default(0),
    outputTokens: bigint({ mode: "number" }).notNull().default(0),
    error: text(),
    cancelRequested: boolean().notNull().default(false),
    ...jobTimes(),
  },
  (t) => [
    index().on(t.promptId, t.version, t.createdAt),
    index().on(t.datasetId, t.datasetVersion, t.status),
    index().on(t.projectId, t.createdAt),
    ...versionOnDatasetKeys(t, datasetVersions),
    check("eval_runs_repetitions", sql`${t.repetitions} between 1 and 20`),
    check("eval_runs_concurrency", sql`${t.concurrency} between 1 and 64`),
    check("eval_runs_progress", sql`${t.done} >= 0 and ${t.total} >= 0 and ${t.done} <= ${t.total}`),
    check("eval_runs_score", sql`${t.score} is null or (${t.score} >= 0 and ${t.score} <= 1)`),
    check("eval_runs_pass_rate", sql`${t.passRate} is null or (${t.passRate} >= 0 and ${t.passRate} <= 1)`),
    // Compared as text: a check written in the migration that adds 'unscored' may not cast to the new value.
    check(
      "eval_runs_finished",
      sql`(${t.status}::text in ('completed', 'unscored', 'failed', 'cancelled')) = (${t.finishedAt} is not null)`,
    ),
    check("eval_runs_completed", sql`${t.status}::text not in ('completed', 'unscored') or ${t.done} = ${t.total}`),
  ],
);

// One item × repetition of a run. The primary key makes writing a result idempotent: a resumed or
// retried job can never score the same unit twice.
export const evalRunItems = pgTable(
  "eval_run_items",
  {
    // A handle for one output (annotations label it); the row's key stays (run, item, repetition).
    id: bigint({ mode: "number" }).generatedByDefaultAsIdentity().notNull().unique(),
    runId: ownedBy(() => evalRuns.id),
    itemId: ownedBy(() => datasetItems.id),
    repetition: integer().notNull(),
    // The item's position in the dataset, for stable paging.
    position: bigint({ mode: "number" }).notNull(),
    output: text(),
    // Weighted item score (null when no weighted scorer could judge), and pass/fail.
    score: doublePrecision(),
    passed: boolean().notNull().default(false),
    // Each scorer's score, pass and reason.
    scores: jsonb().$type<ScorerOutcome[]>().notNull().default([]),
    latencyMs: integer(),
    inputTokens: integer().notNull().default(0),
    outputTokens: integer().notNull().default(0),
    costUsd: doublePrecision(),
    error: text(),
    createdAt: writtenAt(),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.itemId, t.repetition] }),
    index().on(t.runId, t.position, t.repetition),
    check("eval_run_items_score", sql`${t.score} is null or (${t.score} >= 0 and ${t.score} <= 1)`),
    check("eval_run_items_repetition", sql`${t.repetition} >= 0`),
  ],
);
