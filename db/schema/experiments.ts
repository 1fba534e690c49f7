// Experiments: traffic splits between versions of one prompt in one environment, A/B or bandit.
import { bigserial, doublePrecision, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { environments, projects } from "./projects";
import { prompts } from "./prompts";
import { users } from "./users";

export const experimentStatusEnum = pgEnum("experiment_status", ["draft", "running", "paused", "stopped", "completed"]);
export const experimentKindEnum = pgEnum("experiment_kind", ["ab", "bandit"]);

export const experiments = pgTable(
  "experiments",
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid().notNull().references(() => projects.id, { onDelete: "cascade" }),
    promptId: uuid().notNull().references(() => prompts.id, { onDelete: "cascade" }),
    environmentId: uuid().notNull().references(() => environments.id, { onDelete: "cascade" }),
    name: text().notNull(),
    kind: experimentKindEnum().notNull().default("ab"),
    status: experimentStatusEnum().notNull().default("draft"),
    // Assignment is hash(seed + phase, subject): deterministic, sticky within a phase.
    seed: text().notNull(),
    phase: integer().notNull().default(1),
    coverage: doublePrecision().notNull().default(1),
    primaryMetric: text().notNull().default("thumbs_up"),
    alpha: doublePrecision().notNull().default(0.05),
    plannedSamplePerArm: integer().notNull().default(500),
    winnerVariant: text(),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    endedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.promptId, t.environmentId, t.status)],
);

export const experimentVariants = pgTable(
  "experiment_variants",
  {
    id: uuid().primaryKey().defaultRandom(),
    experimentId: uuid().notNull().references(() => experiments.id, { onDelete: "cascade" }),
    key: text().notNull(),
    version: integer().notNull(),
    weight: doublePrecision().notNull(),
  },
  (t) => [unique().on(t.experimentId, t.key)],
);

// Sticky assignments recorded at first exposure, so a reweight (bandits) never moves a subject.
export const experimentAssignments = pgTable(
  "experiment_assignments",
  {
    experimentId: uuid().notNull().references(() => experiments.id, { onDelete: "cascade" }),
    phase: integer().notNull(),
    subject: text().notNull(),
    variantKey: text().notNull(),
    assignedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.phase, t.subject] })],
);

// Bandit reweights over time (weights per variant, with the P(best) they came from).
export const experimentWeightHistory = pgTable("experiment_weight_history", {
  id: bigserial({ mode: "number" }).primaryKey(),
  experimentId: uuid().notNull().references(() => experiments.id, { onDelete: "cascade" }),
  weights: jsonb().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

// Metric events from applications: feedback, completion, latency, cost… per (prompt version, subject).
export const metricEvents = pgTable(
  "metric_events",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    projectId: uuid().notNull().references(() => projects.id, { onDelete: "cascade" }),
    promptId: uuid().notNull().references(() => prompts.id, { onDelete: "cascade" }),
    version: integer().notNull(),
    environmentId: uuid().references(() => environments.id, { onDelete: "set null" }),
    experimentId: uuid().references(() => experiments.id, { onDelete: "set null" }),
    variantKey: text(),
    subject: text(),
    metric: text().notNull(),
    value: doublePrecision().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.experimentId, t.metric), index().on(t.promptId, t.version, t.createdAt)],
);
