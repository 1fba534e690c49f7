// The last computed call of each running experiment (lib/experiments/analysis/decisions.ts): what the experiments list
// and the prompt page's card show, so that a page view reads one row instead of analysing every subject.
// Written by the `experiment-decisions` cron job, by the experiment's page and results API (which compute it
// live anyway) and after a start or reweight; a stop deletes it. Only lib/experiments writes it.
import { boolean, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
// Types only (erased at build).
import type { StoredComparison } from "../../lib/experiments/contracts";
import { experiments } from "./experiments";

export const experimentDecisions = pgTable("experiment_decisions", {
  experimentId: uuid()
    .primaryKey()
    .references(() => experiments.id, { onDelete: "cascade" }),
  // The phase it was computed for: a reweight starts a new analysis, so another phase's call is not shown.
  phase: integer().notNull(),
  winner: text(),
  verdict: text().notNull(),
  srmOk: boolean().notNull(),
  subjects: integer().notNull(),
  smallestArm: integer().notNull(),
  plannedPerArm: integer(),
  // Per non-control variant: the deciding comparison on the primary metric.
  comparisons: jsonb().$type<StoredComparison[]>().notNull(),
  // When the data was read (the start of the computation): a write never replaces a newer reading.
  computedAt: timestamp({ withTimezone: true }).notNull(),
});
