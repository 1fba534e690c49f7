// Shadow evaluation's answers (lib/evaluation/online/shadow/shadow*.ts), beside the rules and samples they answer
// (online.ts); their counts are kept by a trigger in online-stats.ts.
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  unique,
} from "drizzle-orm/pg-core";
import { ownedBy, writtenAt } from "./columns";
import type { ShadowPreference, ShadowScore } from "../../lib/evaluation/online/contracts";
import { onlineEvalRules, onlineSamples } from "./online";
import { projects } from "./projects";

/**
 * A candidate version's answer to a sampled live output's input (shadow evaluation): scored by the
 * rule's scorers and, when the rule has one, a pairwise judge against the live answer. One per sample
 * and candidate. The live side's latency and cost are the generation event's, kept for the differences.
 */
export const shadowResults = pgTable(
  "shadow_results",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    projectId: ownedBy(() => projects.id),
    ruleId: ownedBy(() => onlineEvalRules.id),
    sampleId: bigint({ mode: "number" })
      .notNull()
      .references(() => onlineSamples.id, { onDelete: "cascade" }),
    candidateVersion: integer().notNull(),
    // Partials rendered at these versions instead of the environment's ({} for a plain candidate): a
    // partial's candidate inside this prompt, which may then be the live version itself.
    candidatePartials: jsonb().$type<Record<string, number>>().notNull().default({}),
    // The version that produced the live answer (the sample's).
    liveVersion: integer().notNull(),
    status: text().$type<"done" | "failed">().notNull(),
    output: text().notNull().default(""),
    error: text(),
    // The candidate's weighted score (0–1) and each scorer's verdict; null/empty when it failed.
    score: doublePrecision(),
    scores: jsonb().$type<ShadowScore[]>().notNull().default([]),
    preference: jsonb().$type<ShadowPreference>(),
    latencyMs: integer(),
    // Everything this result cost (the answer and its judges, counted against the daily cost cap) and
    // the candidate's answer alone (compared with the live answer's cost); null when unpriced.
    costUsd: doublePrecision(),
    answerCostUsd: doublePrecision(),
    liveLatencyMs: doublePrecision(),
    liveCostUsd: doublePrecision(),
    // Model calls spent on this result (the candidate's answer, judges), counted against the daily cap.
    calls: integer().notNull(),
    createdAt: writtenAt(),
  },
  (t) => [
    unique("shadow_results_sample_candidate_unique").on(t.sampleId, t.candidateVersion, t.candidatePartials),
    index().on(t.ruleId, t.candidateVersion, t.id),
    index().on(t.ruleId, t.createdAt),
    check("shadow_results_status", sql`${t.status} in ('done', 'failed')`),
    check("shadow_results_score", sql`${t.score} is null or (${t.score} >= 0 and ${t.score} <= 1)`),
    check(
      "shadow_results_other_version",
      sql`${t.candidateVersion} <> ${t.liveVersion} or ${t.candidatePartials} <> '{}'::jsonb`,
    ),
    check("shadow_results_partials", sql`jsonb_typeof(${t.candidatePartials}) = 'object'`),
  ],
);
