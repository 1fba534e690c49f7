// Experiments (traffic splits between versions of one prompt in one environment: A/B or bandit),
// their phases, assignments and exposures (the events and aggregates are in experiment-stats.ts).
// Only lib/experiments writes these tables.
import { and, eq, sql } from "drizzle-orm";
import {
  bigint,
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
} from "drizzle-orm/pg-core";
import { ownedBy, refOrNull, uuidKey, writtenAt } from "./columns";
// Types only (erased at build): the column shapes are defined with the code that validates them.
import type {
  Baseline,
  BanditConfig,
  BundleMark,
  ExperimentDecision,
  Guardrail,
  PhaseWeights,
  PrimaryMetric,
  RolloutState,
} from "../../lib/experiments/contracts";
import type { RatioMetric } from "../../lib/experiments/definition";
import { projects } from "./projects";
import { environments } from "./releases";
import { prompts } from "./prompts";
import { users } from "./users";

// "draft": not started yet (the code says notStarted, lib/experiments/store.ts; docs/glossary.md).
export const experimentStatusEnum = pgEnum("experiment_status", ["draft", "running", "stopped"]);
export const experimentModeEnum = pgEnum("experiment_mode", ["fixed", "sequential", "bandit"]);
// A guarded rollout (lib/rollouts) is an experiment of two arms, the live version and the new one, whose
// share grows step by step under its guardrails; its steps, pause and decisions are in `rollout`.
export const experimentKindEnum = pgEnum("experiment_kind", ["experiment", "rollout"]);

export const experiments = pgTable(
  "experiments",
  {
    id: uuidKey(),
    projectId: ownedBy(() => projects.id),
    promptId: ownedBy(() => prompts.id),
    environmentId: ownedBy(() => environments.id),
    name: text().notNull(),
    hypothesis: text().notNull().default(""),
    status: experimentStatusEnum().notNull().default("draft"),
    kind: experimentKindEnum().notNull().default("experiment"),
    // Rollouts only: {version, steps, step, stepStartedAt, paused, margin, decisions}.
    rollout: jsonb().$type<RolloutState>(),
    // A bundle's experiment or rollout: {name, group}. The members of one group split their prompts
    // with one seed and one share, and start, move and end together (lib/experiments/bundle-*.ts).
    bundle: jsonb().$type<BundleMark>(),
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
    // 0 until it starts; each start or reweight opens a new phase.
    phase: integer().notNull().default(0),
    // {ship: key} | {keep: "control"}, with the reason and the deployment it made.
    decision: jsonb().$type<ExperimentDecision>(),
    createdBy: refOrNull(() => users.id),
    createdAt: writtenAt(),
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
    check("experiments_rollout_state", sql`(${t.kind} = 'rollout') = (${t.rollout} is not null)`),
    check(
      "experiments_bundle_mark",
      sql`${t.bundle} is null or (jsonb_typeof(${t.bundle}->'name') = 'string' and jsonb_typeof(${t.bundle}->'group') = 'string')`,
    ),
    index("experiments_bundle_group_idx").on(sql`(${t.bundle}->>'group')`),
  ],
);

/** The filter for the experiment (or rollout) running on a prompt in an environment. */
export const runningExperimentOn = (promptId: string, environmentId: string) =>
  and(
    eq(experiments.promptId, promptId),
    eq(experiments.environmentId, environmentId),
    eq(experiments.status, "running"),
  );

export const experimentVariants = pgTable(
  "experiment_variants",
  {
    experimentId: ownedBy(() => experiments.id),
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
    experimentId: ownedBy(() => experiments.id),
    phase: integer().notNull(),
    seed: text().notNull(),
    // {<variant key>: weight}, summing to 1.
    weights: jsonb().$type<PhaseWeights>().notNull(),
    // Bandit reweights: P(best) per variant the weights came from.
    pBest: jsonb().$type<number[]>(),
    reason: text().notNull().default(""),
    // What each arm serves in this phase: {<variant key>: partials as `name@version,…`}. A release
    // of a partial an arm includes opens a new phase (or stops the experiment), so a phase has one composition
    // per arm. Null for phases opened before compositions were recorded.
    compositions: jsonb().$type<Record<string, string>>(),
    // The deployment (of a partial) that opened this phase, when one did.
    deploymentId: bigint({ mode: "number" }),
    startedAt: writtenAt(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.phase] })],
);

// Bandits only: a subject keeps the variant of its first exposure across reweights.
export const experimentAssignments = pgTable(
  "experiment_assignments",
  {
    experimentId: ownedBy(() => experiments.id),
    subject: text().notNull(),
    variantKey: text().notNull(),
    phase: integer().notNull(),
    assignedAt: writtenAt(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.subject] })],
);

// Distinct subjects exposed per arm (SRM, progress): one row per subject and phase.
export const experimentExposures = pgTable(
  "experiment_exposures",
  {
    experimentId: ownedBy(() => experiments.id),
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
