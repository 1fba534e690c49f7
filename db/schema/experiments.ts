// Experiments (traffic splits between versions of one prompt in one environment: A/B or bandit),
// the metric events applications send, and the aggregates the results are read from.
// Only lib/experiments writes these tables.
import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  bigserial,
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
  uuid,
} from "drizzle-orm/pg-core";
// Types only (erased at build): the column shapes are defined with the code that validates them.
import type {
  Baseline,
  BanditConfig,
  ExperimentDecision,
  Guardrail,
  MetricEventData,
  PhaseWeights,
  PrimaryMetric,
} from "../../lib/experiments/contracts";
import type { RatioMetric } from "../../lib/experiments/definition";
import { projects } from "./projects";
import { environments } from "./releases";
import { prompts } from "./prompts";
import { users } from "./users";

export const experimentStatusEnum = pgEnum("experiment_status", ["draft", "running", "stopped"]);
export const experimentModeEnum = pgEnum("experiment_mode", ["fixed", "sequential", "bandit"]);

export const experiments = pgTable(
  "experiments",
  {
    id: uuid().primaryKey().defaultRandom(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    promptId: uuid()
      .notNull()
      .references(() => prompts.id, { onDelete: "cascade" }),
    environmentId: uuid()
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    name: text().notNull(),
    hypothesis: text().notNull().default(""),
    status: experimentStatusEnum().notNull().default("draft"),
    mode: experimentModeEnum().notNull(),
    // {algorithm: "thompson" | "ucb1", floor, burnIn} for bandits.
    bandit: jsonb().$type<BanditConfig>(),
    coverage: doublePrecision().notNull().default(1),
    // Mutually exclusive experiments: the namespace (layer) and the share [start, end) of its hash space this
    // one owns; running experiments of a namespace own disjoint shares (lib/experiments/namespaces.ts).
    namespace: text(),
    namespaceStart: doublePrecision(),
    namespaceEnd: doublePrecision(),
    // {name, kind: "binary" | "continuous", goal?}
    primaryMetric: jsonb().$type<PrimaryMetric>().notNull(),
    // [{name, kind, direction}]
    guardrails: jsonb().$type<Guardrail[]>().notNull().default([]),
    // Secondary ratio metrics, shown beside the results (never decide): [{name, numerator, denominator, goal?}]
    ratioMetrics: jsonb().$type<RatioMetric[]>().notNull().default([]),
    alpha: doublePrecision().notNull().default(0.05),
    power: doublePrecision().notNull().default(0.8),
    minDetectableEffect: doublePrecision(),
    // {rate} (binary) or {mean, sd} (continuous): what the sample size is computed from.
    baseline: jsonb().$type<Baseline>(),
    plannedSamplePerArm: integer(),
    // CUPED: the days before each subject's first exposure whose events of a metric are its covariate.
    cupedLookbackDays: integer().notNull().default(14),
    // The seed of phase 1, as given or generated; later phases get their own (experiment_phases).
    seed: text().notNull(),
    // 0 while a draft; each start or reweight opens a new phase.
    phase: integer().notNull().default(0),
    // {ship: key} | {keep: "control"}, with the reason and the deployment it made.
    decision: jsonb().$type<ExperimentDecision>(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    stoppedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index().on(t.projectId, t.createdAt),
    index().on(t.promptId, t.environmentId, t.status),
    index().on(t.projectId, t.namespace),
    check(
      "experiments_namespace_range",
      sql`(${t.namespace} is null and ${t.namespaceStart} is null and ${t.namespaceEnd} is null) or (${t.namespace} is not null and ${t.namespaceStart} >= 0 and ${t.namespaceStart} < ${t.namespaceEnd} and ${t.namespaceEnd} <= 1)`,
    ),
    check("experiments_cuped_lookback_days", sql`${t.cupedLookbackDays} between 1 and 90`),
  ],
);

export const experimentVariants = pgTable(
  "experiment_variants",
  {
    experimentId: uuid()
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    key: text().notNull(),
    version: integer().notNull(),
    // Order in the definition; 0 is the control.
    position: integer().notNull(),
    // The planned split (phase 1); later phases keep their own weights in experiment_phases.
    weight: doublePrecision().notNull(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.key] }), unique().on(t.experimentId, t.version)],
);

// Each phase's seed and weights: assignment is hash(seed, subject) over the weights of the phase.
export const experimentPhases = pgTable(
  "experiment_phases",
  {
    experimentId: uuid()
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    phase: integer().notNull(),
    seed: text().notNull(),
    // {<variant key>: weight}, summing to 1.
    weights: jsonb().$type<PhaseWeights>().notNull(),
    // Bandit reweights: P(best) per variant the weights came from.
    pBest: jsonb().$type<number[]>(),
    reason: text().notNull().default(""),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.phase] })],
);

// Bandits only: a subject keeps the variant of its first exposure across reweights.
export const experimentAssignments = pgTable(
  "experiment_assignments",
  {
    experimentId: uuid()
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    subject: text().notNull(),
    variantKey: text().notNull(),
    phase: integer().notNull(),
    assignedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.subject] })],
);

// Distinct subjects exposed per arm (SRM, progress): one row per subject and phase.
export const experimentExposures = pgTable(
  "experiment_exposures",
  {
    experimentId: uuid()
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    phase: integer().notNull(),
    subject: text().notNull(),
    variantKey: text().notNull(),
    firstAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.experimentId, t.phase, t.subject] }),
    // A subject's first exposure in any phase (CUPED's covariate, fixed when it enters).
    index().on(t.experimentId, t.subject),
  ],
);

// Raw events as applications sent them (deduplicated by the client's id), kept for a retention period.
export const metricEvents = pgTable(
  "metric_events",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    projectId: uuid()
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    eventId: text().notNull(),
    type: text().notNull(),
    promptId: uuid().references(() => prompts.id, { onDelete: "cascade" }),
    version: integer(),
    environment: text(),
    experimentId: uuid().references(() => experiments.id, { onDelete: "set null" }),
    phase: integer(),
    variantKey: text(),
    subject: text(),
    at: timestamp({ withTimezone: true }).notNull(),
    data: jsonb().$type<MetricEventData>().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique().on(t.projectId, t.eventId),
    index().on(t.receivedAt),
    index().on(t.promptId, t.version, t.at),
    // A subject's history on a prompt: read once per subject and metric, when it enters an experiment.
    index().on(t.promptId, t.subject, t.at),
  ],
);

// Per subject and metric within an arm: the subject's events summed, so its mean (the unit of analysis)
// can be updated as events arrive. `bucket` is the hour of the subject's first value.
export const experimentSubjectStats = pgTable(
  "experiment_subject_stats",
  {
    experimentId: uuid()
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    phase: integer().notNull(),
    variantKey: text().notNull(),
    metric: text().notNull(),
    subject: text().notNull(),
    count: bigint({ mode: "number" }).notNull(),
    sum: doublePrecision().notNull(),
    bucket: timestamp({ withTimezone: true }).notNull(),
    // CUPED's covariate, fixed when the row is made (the subject's first value of the metric): the count and
    // sum of its values of the metric in the look-back before its first exposure (0 events: no history).
    priorCount: bigint({ mode: "number" }).notNull().default(0),
    priorSum: doublePrecision().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.experimentId, t.phase, t.variantKey, t.metric, t.subject] }),
    // A subject's rows of every metric (the hour of its first value, without an exposure).
    index().on(t.experimentId, t.subject),
  ],
);

// Sufficient statistics of subject means per arm, metric and hour: results read O(arms × hours) rows.
export const experimentArmStats = pgTable(
  "experiment_arm_stats",
  {
    experimentId: uuid()
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    phase: integer().notNull(),
    variantKey: text().notNull(),
    metric: text().notNull(),
    bucket: timestamp({ withTimezone: true }).notNull(),
    n: bigint({ mode: "number" }).notNull(),
    sum: doublePrecision().notNull(),
    sumSq: doublePrecision().notNull(),
    // CUPED's moments over the subjects with a pre-exposure value (x, its mean value before exposure; y, its
    // mean since): how many, Σx, Σx², Σx·y and Σy. With n, sum and sumSq they are all CUPED reads.
    nPrior: bigint({ mode: "number" }).notNull().default(0),
    sumPrior: doublePrecision().notNull().default(0),
    sumPriorSq: doublePrecision().notNull().default(0),
    sumPriorY: doublePrecision().notNull().default(0),
    sumYWithPrior: doublePrecision().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.phase, t.variantKey, t.metric, t.bucket] })],
);

// Subjects newly exposed per arm and hour.
export const experimentArmExposures = pgTable(
  "experiment_arm_exposures",
  {
    experimentId: uuid()
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    phase: integer().notNull(),
    variantKey: text().notNull(),
    bucket: timestamp({ withTimezone: true }).notNull(),
    subjects: bigint({ mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.phase, t.variantKey, t.bucket] })],
);

// Cost, tokens, latency and time to first token per prompt version (from generation events, with or
// without an experiment), and the other metrics too, per environment and day.
export const versionMetricStats = pgTable(
  "version_metric_stats",
  {
    promptId: uuid()
      .notNull()
      .references(() => prompts.id, { onDelete: "cascade" }),
    version: integer().notNull(),
    environment: text().notNull(),
    metric: text().notNull(),
    bucket: timestamp({ withTimezone: true }).notNull(),
    n: bigint({ mode: "number" }).notNull(),
    sum: doublePrecision().notNull(),
    sumSq: doublePrecision().notNull(),
  },
  (t) => [primaryKey({ columns: [t.promptId, t.version, t.environment, t.metric, t.bucket] })],
);
