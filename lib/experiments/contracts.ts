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

/** The type-specific fields of a metric event, as stored with it (lib/experiments/events.ts eventData). */
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
