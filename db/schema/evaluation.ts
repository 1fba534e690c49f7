// Offline evaluation (suites, cases, runs). Online evaluation lives in online.ts.
import { bigserial, doublePrecision, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { projects } from "./projects";
import { prompts } from "./prompts";
import { users } from "./users";

export const evalRunStatusEnum = pgEnum("eval_run_status", ["queued", "running", "passed", "failed", "error"]);

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
