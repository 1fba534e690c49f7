// The shapes an experiment keeps in jsonb (db/schema/experiments.ts types its columns with them). Types
// only: the schema imports this file, so it must not import anything that reaches the database at run time.
import type { ExperimentDefinition } from "./definition";

/** {algorithm, floor, burnIn}: how a bandit reweights (null for fixed and sequential experiments). */
export type BanditConfig = NonNullable<ExperimentDefinition["bandit"]>;

/** {name, kind, goal?}: the metric that decides the experiment. */
export type PrimaryMetric = ExperimentDefinition["primaryMetric"];

/** {name, kind, direction}: a metric that must not get worse. */
export type Guardrail = ExperimentDefinition["guardrails"][number];

/** {rate} (binary) or {mean, sd} (continuous): the control's level the sample size is planned from. */
export type Baseline = NonNullable<ExperimentDefinition["baseline"]>;

/**
 * How a stopped experiment ended: the variant shipped or the control kept, why, and the deployment it made;
 * or, written by the deployment log's trigger (migration 0012), the deployment that stopped it.
 */
export type ExperimentDecision =
  | (({ ship: string } | { keep: "control" }) & {
      reason: string;
      /** Absent until the ship's deployment is recorded; null when nothing needed deploying. */
      deployment?: { id: number; version: number } | null;
    })
  | { stoppedBy: "deployment"; reason: string; deployment: { id: number; version: number; action: string } };

/** {<variant key>: weight}, summing to 1: a phase's split. */
export type PhaseWeights = Record<string, number>;

/** The type-specific fields of a metric event, as stored with it (lib/experiments/metric-events.ts eventData). */
export type MetricEventData = Record<string, unknown>;

/**
 * A non-control variant's comparison with the control on the primary metric, as the call reads it
 * (CUPED-adjusted when `cuped`): what the experiments list keeps of each computed decision.
 */
export type StoredComparison = {
  variant: string;
  lift: number | null;
  ci: [number, number] | null;
  pValue: number | null;
  significant: boolean;
  cuped: boolean;
};

/** One step of a guarded rollout: the new version's share, and what the step needs before it may advance. */
export type RolloutStep = { percent: number; minMinutes: number; minSubjects: number };

/** One guardrail as a rollout decision read it: the new version against the live one. */
export type RolloutGuardrailReading = {
  metric: string;
  /** Relative lift of the new version over the live one, and its always-valid interval. */
  lift: number | null;
  ci: [number, number] | null;
  /** Worse the bad way, beyond chance (Holm-adjusted over the guardrails, always-valid). */
  significant: boolean;
  /**
   * Set when lift, interval and significance are CUPED-adjusted (the subjects' pre-exposure values of the
   * metric explain part of it): the variance reduction in percent. null: unadjusted. Absent in older readings.
   */
  cuped?: { varianceReduction: number } | null;
  /**
   * What the reading was computed from, per arm: the subjects with a value of the metric and the events those
   * values came from. Absent in readings taken before it was recorded.
   */
  arms?: { live: ArmRead; new: ArmRead };
};

/** One arm of one guardrail as a decision read it. */
export type ArmRead = { subjects: number; events: number };

/**
 * What the rollouts job read when it decided: aggregates read in one snapshot of the primary database, taken at
 * `at` (the database's clock), so every event accepted before then is in them; the subjects per arm since the
 * rollout started; and the minimum per arm it held each guardrail to.
 */
export type RolloutRead = {
  at: string;
  subjects: { live: number; new: number };
  minSamplePerArm: number;
};

/** A rollout's decision: automatic (by the rollouts job) or a person's (pause, resume, advance, rollback). */
export type RolloutDecision = {
  at: string;
  /** Index into steps of the step the decision was taken at. */
  step: number;
  action: "start" | "advance" | "complete" | "rollback" | "pause" | "resume" | "stopped";
  reason: string;
  /** A person's label, or the job's ("rollouts", "online evaluation"). */
  by: string;
  /** Taken by a job, not a person. */
  automatic: boolean;
  guardrails: RolloutGuardrailReading[];
  /** What the decision read: absent on pause, resume, start, and on decisions taken before it was kept. */
  read?: RolloutRead;
};

/** The rollouts job's latest look at a rollout that waits: why, and what it read (overwritten each minute). */
export type RolloutCheck = {
  at: string;
  reason: string;
  guardrails: RolloutGuardrailReading[];
  read: RolloutRead;
};

/** A guarded rollout's own state (experiments.rollout), beside the experiment that splits the traffic. */
export type RolloutState = {
  /** The version rolled out (the experiment's "new" arm); the "live" arm is what the environment served. */
  version: number;
  steps: RolloutStep[];
  /** Index into steps of the current step. */
  step: number;
  stepStartedAt: string;
  paused: boolean;
  /**
   * Optional: a harm (relative, e.g. 0.05 = 5 %) each guardrail's interval must exclude before a step
   * advances; null advances on the minimums alone (while no guardrail is significantly worse).
   */
  margin: number | null;
  /**
   * The subjects with a value that each arm needs, on every guardrail that has data, before a step advances or
   * completes (a Harness-style minimum sample). Absent in rollouts started before it: the default.
   */
  minSamplePerArm?: number;
  decisions: RolloutDecision[];
  /** While it waits: the job's latest look (absent until the job has looked, and once the rollout moved on). */
  lastCheck?: RolloutCheck | null;
};

/**
 * A bundle's experiment or guarded rollout (experiments.bundle): one experiment per member its arms
 * change, all with one seed and one share, so a subject gets every member's version of one arm; they start,
 * move and end together (lib/experiments/rollouts/bundle-rollouts.ts, bundles/bundle-experiments.ts). `group` names the set.
 */
export type BundleMark = { name: string; group: string };
