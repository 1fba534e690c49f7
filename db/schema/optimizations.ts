// Prompt optimizations (lib/optimization): from a version, a dataset split into train and held-out, and
// scorers, a job proposes candidates under a budget of model calls and cost, then compares the best with
// the starting version on the held-out split. Its result is a draft (never a version, never a
// deployment) carrying that comparison. Only lib/optimization writes this table.
import { sql } from "drizzle-orm";
import { check, doublePrecision, index, integer, jsonb, pgEnum, pgTable, text } from "drizzle-orm/pg-core";
import { refOrNull, uuidKey } from "./columns";
import { datasetVersions } from "./evaluation";
import { drafts } from "./prompts";
import { jobTimes, versionOnDataset, versionOnDatasetKeys } from "./run-columns";
import type { RunScorers } from "../../lib/evaluation/contracts";
import type { OptimizationResult } from "../../lib/optimization/contracts";

export const optimizationStatusEnum = pgEnum("optimization_status", [
  "queued",
  "running",
  // A draft was made, with the held-out comparison.
  "completed",
  // The budget ran out before a draft with a held-out comparison could be made; `result` says how far it got.
  "budget_exhausted",
  "failed",
  // Someone stopped it (POST /api/v1/optimizations/{id}/cancel, the page's Cancel): its calls in flight
  // were aborted, what they spent is counted, and no draft is made.
  "cancelled",
]);

/** How a completed optimization ended: a draft better on the held-out items, or nothing better found. */
export const optimizationOutcomes = ["improved", "no_improvement"] as const;

export const optimizations = pgTable(
  "optimizations",
  {
    id: uuidKey(),
    ...versionOnDataset(),
    // Named scorer specs (lib/scorers parseScorerSpecs output): the gate's, or those given.
    scorers: jsonb().$type<RunScorers>().notNull(),
    connection: text(),
    // What that connection was when it was started, as people read it (lib/llm/provider-labels.ts connectionLabel).
    connectionName: text(),
    // The environment whose partials the version is rendered with.
    environment: text().notNull(),
    // The split: items ordered by a seeded hash of their key; the first heldOut go to the held-out split.
    seed: integer().notNull(),
    heldOutShare: doublePrecision().notNull(),
    budgetCalls: integer().notNull(),
    budgetCostUsd: doublePrecision().notNull(),
    status: optimizationStatusEnum().notNull().default("queued"),
    // Every model call made for it (candidates, the optimizer's own, scorers), and what they cost.
    calls: integer().notNull().default(0),
    costUsd: doublePrecision().notNull().default(0),
    // Split sizes, candidates tried, the best one, the held-out comparison, why it stopped.
    result: jsonb().$type<OptimizationResult>(),
    // Set exactly when it completed: "improved" (a draft, significantly better on the held-out items) or
    // "no_improvement" (no draft).
    outcome: text({ enum: optimizationOutcomes }),
    draftId: refOrNull(() => drafts.id),
    error: text(),
    // Who cancelled it and why (cancelled only).
    cancelledBy: text(),
    cancelReason: text(),
    ...jobTimes(),
  },
  (t) => [
    index().on(t.projectId, t.createdAt),
    index().on(t.promptId, t.version),
    // The queue's reads (a project's active optimizations, the fair turn across projects) look at few rows.
    index("optimizations_active_index")
      .on(t.projectId, t.status)
      .where(sql`${t.status} in ('queued', 'running')`),
    // Whose turn it is: the project whose last optimization started longest ago.
    index().on(t.projectId, t.startedAt),
    ...versionOnDatasetKeys(t, datasetVersions),
    check("optimizations_budget", sql`${t.budgetCalls} >= 1 and ${t.budgetCostUsd} > 0`),
    check("optimizations_spend", sql`${t.calls} >= 0 and ${t.costUsd} >= 0`),
    check("optimizations_held_out_share", sql`${t.heldOutShare} > 0 and ${t.heldOutShare} < 1`),
    check(
      "optimizations_finished",
      sql`(${t.status}::text in ('completed', 'budget_exhausted', 'failed', 'cancelled')) = (${t.finishedAt} is not null)`,
    ),
    check(
      "optimizations_outcome",
      sql`(${t.status}::text = 'completed') = (${t.outcome} is not null) and (${t.outcome} is null or ${t.outcome} in ('improved', 'no_improvement'))`,
    ),
    // Nothing better found: nothing to merge.
    check(
      "optimizations_no_draft_without_gain",
      sql`${t.outcome} is distinct from 'no_improvement' or ${t.draftId} is null`,
    ),
  ],
);
