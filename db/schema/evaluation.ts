// Offline evaluation (suites, cases, runs) and online evaluation (samples, scores, alerts).
import { bigint, bigserial, boolean, doublePrecision, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { environments, projects } from "./projects";
import { prompts } from "./prompts";
import { users } from "./users";

export const evalRunStatusEnum = pgEnum("eval_run_status", ["queued", "running", "passed", "failed", "error"]);
export const alertSeverityEnum = pgEnum("alert_severity", ["info", "warning", "critical"]);

export const evalSuites = pgTable("eval_suites", {
  id: uuid().primaryKey().defaultRandom(),
  projectId: uuid().notNull().references(() => projects.id, { onDelete: "cascade" }),
  promptId: uuid().references(() => prompts.id, { onDelete: "cascade" }),
  name: text().notNull(),
  description: text().notNull().default(""),
  // [{type: exact|contains|regex|json_schema|length|llm_judge, weight, options}]
  scorers: jsonb().notNull().default([]),
  // Runs per case, to measure consistency.
  repetitions: integer().notNull().default(1),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const evalCases = pgTable(
  "eval_cases",
  {
    id: uuid().primaryKey().defaultRandom(),
    suiteId: uuid().notNull().references(() => evalSuites.id, { onDelete: "cascade" }),
    input: jsonb().notNull(),
    expected: jsonb(),
    tags: text().array().notNull().default([]),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.suiteId)],
);

export const evalRuns = pgTable(
  "eval_runs",
  {
    id: uuid().primaryKey().defaultRandom(),
    suiteId: uuid().notNull().references(() => evalSuites.id, { onDelete: "cascade" }),
    promptId: uuid().notNull().references(() => prompts.id, { onDelete: "cascade" }),
    version: integer().notNull(),
    status: evalRunStatusEnum().notNull().default("queued"),
    score: doublePrecision(),
    summary: jsonb(),
    triggeredBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.promptId, t.version)],
);

export const evalResults = pgTable("eval_results", {
  id: bigserial({ mode: "number" }).primaryKey(),
  runId: uuid().notNull().references(() => evalRuns.id, { onDelete: "cascade" }),
  caseId: uuid().notNull().references(() => evalCases.id, { onDelete: "cascade" }),
  repetition: integer().notNull().default(0),
  output: text(),
  scores: jsonb().notNull().default({}),
  latencyMs: integer(),
  error: text(),
});

export const onlineEvalConfigs = pgTable("online_eval_configs", {
  id: uuid().primaryKey().defaultRandom(),
  projectId: uuid().notNull().references(() => projects.id, { onDelete: "cascade" }),
  promptId: uuid().notNull().references(() => prompts.id, { onDelete: "cascade" }),
  environmentId: uuid().notNull().references(() => environments.id, { onDelete: "cascade" }),
  sampleRate: doublePrecision().notNull().default(0.1),
  judge: jsonb(),
  windowSize: integer().notNull().default(1000),
  alertDrop: doublePrecision().notNull().default(0.05),
  rollbackDrop: doublePrecision().notNull().default(0.15),
  autoRollback: boolean().notNull().default(false),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

// Production outputs sent by applications; the sampled ones are scored.
export const productionSamples = pgTable(
  "production_samples",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    projectId: uuid().notNull().references(() => projects.id, { onDelete: "cascade" }),
    promptId: uuid().notNull().references(() => prompts.id, { onDelete: "cascade" }),
    version: integer().notNull(),
    environmentId: uuid().references(() => environments.id, { onDelete: "set null" }),
    subject: text(),
    input: jsonb(),
    output: text().notNull(),
    latencyMs: integer(),
    costUsd: doublePrecision(),
    sampled: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.promptId, t.version, t.createdAt)],
);

export const onlineScores = pgTable("online_scores", {
  id: bigserial({ mode: "number" }).primaryKey(),
  sampleId: bigint({ mode: "number" }).notNull().references(() => productionSamples.id, { onDelete: "cascade" }),
  scorer: text().notNull(),
  score: doublePrecision().notNull(),
  rationale: text(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const alerts = pgTable("alerts", {
  id: uuid().primaryKey().defaultRandom(),
  projectId: uuid().notNull().references(() => projects.id, { onDelete: "cascade" }),
  promptId: uuid().references(() => prompts.id, { onDelete: "cascade" }),
  environmentId: uuid().references(() => environments.id, { onDelete: "cascade" }),
  kind: text().notNull(),
  severity: alertSeverityEnum().notNull(),
  message: text().notNull(),
  details: jsonb(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  acknowledgedAt: timestamp({ withTimezone: true }),
});
