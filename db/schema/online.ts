// Online evaluation: rules per prompt and environment, sampled production outputs and their scores,
// alerts for people, and the marks that keep automatic rollbacks from flapping. Only
// lib/evaluation/online writes these tables (the deployment log itself is written by lib/release).
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
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
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { ownedBy, refOrNull, uuidKey, writtenAt } from "./columns";
import { projects } from "./projects";
import { evalRunItems } from "./evaluation";
import { environments } from "./releases";
import { prompts } from "./prompts";
import { users } from "./users";
// Types only (erased at build): the column shapes are defined with the code that validates them.
import type {
  AlertConfig,
  AlertDetails,
  LoopDecision,
  RollbackConfig,
  RuleScorers,
  SampleInput,
  ShadowConfig,
} from "../../lib/evaluation/online/contracts";

/** What an alert is about (the check constraint alerts_kind holds the same list). */
export const alertKinds = [
  "regression",
  "auto_rollback",
  "rollback_withheld",
  "experiment_regression",
  "rollout_regression",
] as const;
export type AlertKind = (typeof alertKinds)[number];

export const alertSeverityEnum = pgEnum("alert_severity", ["info", "warning", "critical"]);
export const sampleStatusEnum = pgEnum("online_sample_status", ["pending", "scored", "failed"]);

export const onlineEvalRules = pgTable(
  "online_eval_rules",
  {
    id: uuidKey(),
    projectId: ownedBy(() => projects.id),
    promptId: ownedBy(() => prompts.id),
    environmentId: ownedBy(() => environments.id),
    sampleRate: doublePrecision().notNull(),
    // The offline scorer specs (lib/scorers), applied to sampled outputs.
    scorers: jsonb().$type<RuleScorers>().notNull(),
    // Event signals compared too: "feedback" (thumbs, rating), "outcome" (completed and named outcomes).
    signals: text().array().notNull(),
    window: integer().notNull(),
    minSamples: integer().notNull(),
    alpha: doublePrecision().notNull(),
    // {maxDrop} or null; {enabled, maxDrop, cooldownMinutes}.
    alert: jsonb().$type<AlertConfig>(),
    rollback: jsonb().$type<RollbackConfig>().notNull(),
    createdBy: refOrNull(() => users.id),
    createdAt: writtenAt(),
    updatedAt: writtenAt(),
    // What the last regression check decided (the auto-rollback job), shown on the prompt page.
    lastCheckedAt: timestamp({ withTimezone: true }),
    lastDecision: jsonb().$type<LoopDecision>(),
    // Candidate versions answering sampled inputs off the user's path (shadow evaluation), or null.
    shadow: jsonb().$type<ShadowConfig>(),
  },
  (t) => [
    unique().on(t.promptId, t.environmentId),
    check("online_eval_rules_sample_rate", sql`${t.sampleRate} >= 0 and ${t.sampleRate} <= 1`),
    check("online_eval_rules_alpha", sql`${t.alpha} > 0 and ${t.alpha} < 1`),
    check("online_eval_rules_samples", sql`${t.minSamples} >= 2 and ${t.minSamples} <= ${t.window}`),
  ],
);

// A sampled generation event with its output, waiting to be scored or scored.
export const onlineSamples = pgTable(
  "online_samples",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    projectId: ownedBy(() => projects.id),
    ruleId: ownedBy(() => onlineEvalRules.id),
    eventId: text().notNull(),
    promptId: ownedBy(() => prompts.id),
    version: integer().notNull(),
    environment: text().notNull(),
    // The composition the output came from: its partials as `name@version,…`, null when unknown.
    partials: text(),
    subject: text(),
    input: jsonb().$type<SampleInput>(),
    output: text().notNull(),
    status: sampleStatusEnum().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    // Weighted mean over the rule's scorers (0–1), once scored.
    score: doublePrecision(),
    error: text(),
    // When the output was produced (the event's time), and when it was scored.
    at: timestamp({ withTimezone: true }).notNull(),
    scoredAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    unique().on(t.ruleId, t.eventId),
    index().on(t.status, t.id),
    // The scoring tick's turns: which projects have samples waiting (one probe each), and each one's oldest.
    index("online_samples_pending_project")
      .on(t.projectId, t.id)
      .where(sql`${t.status} = 'pending'`),
    index().on(t.ruleId, t.version, t.at),
    check("online_samples_score", sql`${t.score} is null or (${t.score} >= 0 and ${t.score} <= 1)`),
    check("online_samples_scored", sql`(${t.status} = 'scored') = (${t.score} is not null)`),
  ],
);

export const onlineScores = pgTable(
  "online_scores",
  {
    sampleId: bigint({ mode: "number" })
      .notNull()
      .references(() => onlineSamples.id, { onDelete: "cascade" }),
    scorer: text().notNull(),
    score: doublePrecision(),
    passed: boolean(),
    reason: text().notNull().default(""),
  },
  (t) => [
    primaryKey({ columns: [t.sampleId, t.scorer] }),
    check("online_scores_score", sql`${t.score} is null or (${t.score} >= 0 and ${t.score} <= 1)`),
  ],
);

export const alerts = pgTable(
  "alerts",
  {
    id: uuidKey(),
    projectId: ownedBy(() => projects.id),
    promptId: uuid().references(() => prompts.id, { onDelete: "cascade" }),
    environmentId: uuid().references(() => environments.id, { onDelete: "cascade" }),
    ruleId: refOrNull(() => onlineEvalRules.id),
    // "regression" (alert threshold), "auto_rollback" (rolled back), "rollback_withheld" (no known-good
    // version, cooldown…), "experiment_regression" (a variant did worse than the control; the experiment stopped),
    // "rollout_regression" (a guarded rollout's guardrail regressed; the rollout rolled back).
    kind: text().$type<AlertKind>().notNull(),
    // The live version the alert is about: one open alert per rule, kind and version.
    version: integer(),
    severity: alertSeverityEnum().notNull(),
    message: text().notNull(),
    // The numbers: per metric means, n, drop, p-values; versions compared.
    details: jsonb().$type<AlertDetails>().notNull(),
    createdAt: writtenAt(),
    acknowledgedAt: timestamp({ withTimezone: true }),
    acknowledgedBy: refOrNull(() => users.id),
  },
  (t) => [
    index().on(t.projectId, t.createdAt),
    uniqueIndex("alerts_one_open")
      .on(t.ruleId, t.kind, t.version)
      .where(sql`${t.acknowledgedAt} is null`),
    check(
      "alerts_kind",
      sql`${t.kind} in ('regression', 'auto_rollback', 'rollback_withheld', 'experiment_regression', 'rollout_regression')`,
    ),
  ],
);

// Versions rolled back automatically in an environment: never re-promoted automatically (a person may).
export const autoRollbacks = pgTable(
  "auto_rollbacks",
  {
    promptId: ownedBy(() => prompts.id),
    environmentId: ownedBy(() => environments.id),
    version: integer().notNull(),
    toVersion: integer().notNull(),
    deploymentId: bigint({ mode: "number" }).notNull(),
    reason: text().notNull(),
    createdAt: writtenAt(),
  },
  (t) => [
    primaryKey({ columns: [t.promptId, t.environmentId, t.version] }),
    index().on(t.promptId, t.environmentId, t.createdAt),
    check("auto_rollbacks_other_version", sql`${t.version} <> ${t.toVersion}`),
  ],
);

/**
 * A person's label on a sampled live output: pass/fail (value 0 or 1) or a 1–5 score, with a comment.
 * One label per labeller and output (labelling again replaces it). Labels are the human scores a judge
 * scorer's agreement is measured against (lib/evaluation/online/annotations.ts).
 */
export const annotations = pgTable(
  "annotations",
  {
    id: uuidKey(),
    projectId: ownedBy(() => projects.id),
    // What is labelled: a sampled live output, or the output of an evaluation run's item (one of both).
    sampleId: bigint({ mode: "number" }).references(() => onlineSamples.id, { onDelete: "cascade" }),
    runItemId: bigint({ mode: "number" }).references(() => evalRunItems.id, { onDelete: "cascade" }),
    scale: text().$type<"pass_fail" | "scale_5">().notNull(),
    value: integer().notNull(),
    comment: text().notNull().default(""),
    // Who labelled: "user:<id>" or "key:<id>" (an integration labelling through an API key), with the
    // person (kept when the account goes: the label stays, attributed by name) and the name shown.
    labeller: text().notNull(),
    userId: refOrNull(() => users.id),
    labellerName: text().notNull(),
    createdAt: writtenAt(),
    updatedAt: writtenAt(),
  },
  (t) => [
    unique().on(t.sampleId, t.labeller),
    unique().on(t.runItemId, t.labeller),
    index().on(t.projectId, t.sampleId),
    check("annotations_target", sql`num_nonnulls(${t.sampleId}, ${t.runItemId}) = 1`),
    check(
      "annotations_value",
      sql`(${t.scale} = 'pass_fail' and ${t.value} in (0, 1)) or (${t.scale} = 'scale_5' and ${t.value} between 1 and 5)`,
    ),
    check("annotations_comment", sql`length(${t.comment}) <= 2000`),
  ],
);
