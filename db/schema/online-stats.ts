// Online evaluation's sums, kept by triggers written by hand (migrations 0031 and 0032) as samples, scores and
// shadow answers are stored, so the pages that show them read O(versions × hours) rows at any volume
// (lib/evaluation/online/series.ts, shadow-read.ts). Nothing in the application writes them.
import { bigint, doublePrecision, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { ownedBy } from "./columns";
import { onlineEvalRules } from "./online";

// Per rule, version and hour of the output: samples by status and the sum of the scored ones' weighted scores;
// per scorer, its scores' count and sum. Kept by triggers on online_samples and online_scores (migration 0031,
// written by hand), read by the online page (lib/evaluation/online/series.ts).
export const onlineSampleStats = pgTable(
  "online_sample_stats",
  {
    ruleId: ownedBy(() => onlineEvalRules.id),
    version: integer().notNull(),
    bucket: timestamp({ withTimezone: true }).notNull(),
    pending: bigint({ mode: "number" }).notNull().default(0),
    scored: bigint({ mode: "number" }).notNull().default(0),
    failed: bigint({ mode: "number" }).notNull().default(0),
    scoreSum: doublePrecision().notNull().default(0),
    lastAt: timestamp({ withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.version, t.bucket] })],
);

export const onlineScorerStats = pgTable(
  "online_scorer_stats",
  {
    ruleId: ownedBy(() => onlineEvalRules.id),
    version: integer().notNull(),
    bucket: timestamp({ withTimezone: true }).notNull(),
    scorer: text().notNull(),
    n: bigint({ mode: "number" }).notNull().default(0),
    sum: doublePrecision().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.version, t.bucket, t.scorer] })],
);

// Shadow answers per rule, candidate (version and partial versions) and live version, kept by a trigger on
// shadow_results (migrations 0032 and 0044).
export const shadowResultCounts = pgTable(
  "shadow_result_counts",
  {
    ruleId: ownedBy(() => onlineEvalRules.id),
    candidateVersion: integer().notNull(),
    candidatePartials: jsonb().$type<Record<string, number>>().notNull().default({}),
    liveVersion: integer().notNull(),
    n: bigint({ mode: "number" }).notNull().default(0),
  },
  // Named as migration 0032 named it (PostgreSQL's default), not drizzle's way.
  (t) => [
    primaryKey({
      name: "shadow_result_counts_pkey",
      columns: [t.ruleId, t.candidateVersion, t.candidatePartials, t.liveVersion],
    }),
  ],
);
