// The metric events applications send and the aggregates experiment results are read from, kept up to date
// as events arrive (lib/ingest/aggregate.ts). Only lib/ingest and lib/experiments write these tables.
import {
  bigint,
  bigserial,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { ownedBy, refOrNull, writtenAt } from "./columns";
// Types only (erased at build): the column shapes are defined with the code that validates them.
import { sql } from "drizzle-orm";
import type { MetricEventData } from "../../lib/experiments/contracts";
import { projects } from "./projects";
import { prompts } from "./prompts";
import { experiments } from "./experiments";

// Column groups of the tables below: an arm of an experiment's phase, a prompt version in an environment, and the
// moments of a metric's values (how many, their sum and their sum of squares).
const armOfPhase = () => ({
  experimentId: ownedBy(() => experiments.id),
  phase: integer().notNull(),
  variantKey: text().notNull(),
});
const versionIn = () => ({
  promptId: ownedBy(() => prompts.id),
  version: integer().notNull(),
  environment: text().notNull(),
});
const moments = () => ({
  n: bigint({ mode: "number" }).notNull(),
  sum: doublePrecision().notNull(),
  sumSq: doublePrecision().notNull(),
});

// Raw events as applications sent them (deduplicated by the client's id), kept for a retention period.
// Partitioned by the UTC day received (migration 0029, written by hand: drizzle-kit does not make partitioned
// tables); lib/ingest/retention.ts makes and drops the days.
export const metricEvents = pgTable(
  "metric_events",
  {
    id: bigserial({ mode: "number" }).notNull(),
    projectId: ownedBy(() => projects.id),
    eventId: text().notNull(),
    type: text().notNull(),
    promptId: uuid().references(() => prompts.id, { onDelete: "cascade" }),
    version: integer(),
    environment: text(),
    experimentId: refOrNull(() => experiments.id),
    phase: integer(),
    variantKey: text(),
    subject: text(),
    // The partials the application was served with the prompt's version (`name@version,…`; "" for none),
    // when it said: the composition the event belongs to. Null when it did not say.
    partials: text(),
    at: timestamp({ withTimezone: true }).notNull(),
    data: jsonb().$type<MetricEventData>().notNull(),
    receivedAt: writtenAt(),
    receivedDay: date({ mode: "string" })
      .notNull()
      .default(sql`((now() at time zone 'UTC')::date)`),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.receivedDay] }),
    // Also the look-up of a client's id (its prefix): ingest's check for resends.
    unique().on(t.projectId, t.eventId, t.receivedDay),
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
    ...armOfPhase(),
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
    ...armOfPhase(),
    metric: text().notNull(),
    bucket: timestamp({ withTimezone: true }).notNull(),
    ...moments(),
    // The events those subjects' values came from (n counts subjects): what a rollout's decision says it read.
    events: bigint({ mode: "number" }).notNull().default(0),
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

// Ratio metrics' moments per arm: over the subjects with a value of the numerator or the denominator, n and the
// sums, squares and cross-product of each subject's Σ numerator (x) and Σ denominator (y), updated as events
// arrive. `scope` is the phase, or 0 for a bandit, whose sticky subjects are analysed across its phases.
export const experimentRatioStats = pgTable(
  "experiment_ratio_stats",
  {
    experimentId: ownedBy(() => experiments.id),
    scope: integer().notNull(),
    variantKey: text().notNull(),
    ratio: text().notNull(),
    n: bigint({ mode: "number" }).notNull(),
    sumX: doublePrecision().notNull(),
    sumY: doublePrecision().notNull(),
    sumXX: doublePrecision().notNull(),
    sumYY: doublePrecision().notNull(),
    sumXY: doublePrecision().notNull(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.scope, t.variantKey, t.ratio] })],
);

// Subjects newly exposed per arm and hour, with the first and last of those exposures (the pace the time
// to the planned sample is read from: an hour's subjects arrived between them, not over the whole hour).
export const experimentArmExposures = pgTable(
  "experiment_arm_exposures",
  {
    ...armOfPhase(),
    bucket: timestamp({ withTimezone: true }).notNull(),
    subjects: bigint({ mode: "number" }).notNull(),
    // Of those, the subjects first seen in the experiment here (any phase before counts them elsewhere): each subject
    // once, in the phase it arrived in, as a guarded rollout's sample-ratio check reads them (srmByShare).
    arrivals: bigint({ mode: "number" }).notNull().default(0),
    // Null only on rows older than these columns that had no exposures to backfill them from.
    firstAt: timestamp({ withTimezone: true }),
    lastAt: timestamp({ withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.phase, t.variantKey, t.bucket] })],
);

// Events that named an experiment but that it did not serve: kept apart, never in the arms' sums. Per
// experiment, phase, reason, the arm the event named and the arm its subject was served ('' for none), how many.
// Reasons: never_exposed (the subject is in no arm: outside the coverage or namespace share, a bandit subject never
// assigned), other_arm (exposed or assigned another arm), before_start (dated before the phase it names began),
// after_stop (dated after the experiment stopped). lib/experiments/served-claims.ts decides; lib/ingest/aggregate.ts adds.
export const experimentUnattributed = pgTable(
  "experiment_unattributed",
  {
    experimentId: ownedBy(() => experiments.id),
    phase: integer().notNull(),
    reason: text().notNull(),
    variantKey: text().notNull(),
    servedKey: text().notNull().default(""),
    events: bigint({ mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({
      name: "experiment_unattributed_pk",
      columns: [t.experimentId, t.phase, t.reason, t.variantKey, t.servedKey],
    }),
    check(
      "experiment_unattributed_reason",
      sql`${t.reason} in ('never_exposed', 'other_arm', 'before_start', 'after_stop')`,
    ),
    check("experiment_unattributed_events", sql`${t.events} > 0`),
  ],
);

// Cost, tokens, latency and time to first token per prompt version (from generation events, with or
// without an experiment), and the other metrics too, per environment and day.
export const versionMetricStats = pgTable(
  "version_metric_stats",
  {
    ...versionIn(),
    metric: text().notNull(),
    bucket: timestamp({ withTimezone: true }).notNull(),
    ...moments(),
  },
  (t) => [primaryKey({ columns: [t.promptId, t.version, t.environment, t.metric, t.bucket] })],
);

// Generation latency per prompt version, environment and day as a histogram of logarithmic bins (bin b holds
// latencies in [1.05^b − 1, 1.05^(b+1) − 1) ms; lib/stats/latency-bins.ts), so that percentiles are read from
// counts, not from raw events: a bin stands for a value within 2.5% of (latency + 1 ms) for each latency in it.
export const versionLatencyBins = pgTable(
  "version_latency_bins",
  {
    ...versionIn(),
    bucket: timestamp({ withTimezone: true }).notNull(),
    bin: smallint().notNull(),
    n: bigint({ mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.promptId, t.version, t.environment, t.bucket, t.bin] })],
);
