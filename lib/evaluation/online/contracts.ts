// The shapes an online evaluation rule keeps in jsonb (db/schema/online.ts types its columns with
// them) and the decision the closed loop records. Types only: the schema imports this file, so it
// must not import anything that reaches the database at run time.
import type { NamedScorerSpec } from "../../scorers/spec";
import type { MetricVerdict } from "./detect";

/** Alert when a metric drops by more than maxDrop (a fraction), significantly. */
export type AlertConfig = { maxDrop: number };

/** Roll back automatically past maxDrop, at most once per cooldown. */
export type RollbackConfig = { enabled: boolean; maxDrop: number; cooldownMinutes: number };

/** Values read but not counted: without a subject, or naming a version the subject was not served. */
export interface Excluded {
  anonymous: number;
  unverified: number;
}

/**
 * What a check read of one version's window: the scored samples it scanned, the feedback and outcome
 * events, and the samples accepted but not scored yet, before the newest one read (`behind`: a rollback waits for
 * them) or after it (`newer`).
 */
export interface WindowRead {
  samples: number;
  events: number;
  behind: number;
  newer: number;
}

export type ExperimentCheck = {
  id: string;
  name: string;
  action: "none" | "alerted" | "stopped" | "skipped" | "waiting";
  reason: string;
  variants: {
    key: string;
    version: number;
    level: "none" | "alert" | "rollback";
    metrics: MetricVerdict[];
    /** What the variant's window read (absent in checks made before it was kept). */
    read?: WindowRead;
  }[];
  /** What the control's window read. */
  controlRead?: WindowRead;
};

/** One partial's change in a group of changes judged together: what it served before the group, and after. */
export type PartialStep = { partial: string; from: number | null; to: number; at: string };

/**
 * A change of a partial that a rule's prompt includes, after the prompt's own deployment (loop/loop-partials.ts):
 * the newest one, or the one (or the group) a check judged.
 */
export type PartialChange = {
  partial: string;
  partialId: string;
  /** What the partial served before the release (null: nothing). */
  from: number | null;
  to: number;
  /** The deployment's action (only a release is judged). */
  action: string;
  /** When it was released (ISO). */
  at: string;
  /** When what the prompt rendered changed before it (its own deployment or an earlier partial release). */
  previousChangeAt: string;
  /**
   * Set when changes released too close together to tell apart were judged as one (the fields above are the
   * newest's): every partial of the group, each from what it served before the group to what it served after.
   */
  together?: PartialStep[];
};

export type LoopDecision = {
  ruleId: string;
  prompt: string;
  environment: string;
  live: number | null;
  baseline: number | null;
  /** Whether the baseline is a known-good version (else only the previous one, good enough to alert). */
  knownGood: boolean;
  level: "none" | "alert" | "rollback";
  /** waiting: a rollback was due, but samples accepted before the newest one read are still being scored. */
  action: "none" | "alerted" | "rolled_back" | "withheld" | "skipped" | "waiting";
  reason: string;
  metrics: MetricVerdict[];
  /** Values read but not counted (no subject, or a version the subject was not served), per version. */
  excluded: Record<number, Excluded>;
  /** What each version's window read, per version; absent in checks made before it was kept. */
  read?: Record<number, WindowRead>;
  experiment: ExperimentCheck | null;
  /**
   * Set when a partial changed since the prompt's own deployment: the change (or group) the check judged, else
   * the newest change, where the prompt's live window starts.
   */
  partial?: PartialChange;
};

/** The last check as pages and the API show it: the decision with when it was made. */
export type LastCheck = LoopDecision & { at: string };

export type RuleScorers = NamedScorerSpec[];

/**
 * Shadow evaluation of a rule: candidate versions answer a share of the sampled live outputs' inputs off
 * the user's path (lib/evaluation/online/shadow/shadow.ts). `sampleRate` is the share of the rule's sampled
 * outputs (so of all traffic: rule rate × this); the caps count every model call and its cost per UTC day.
 */
export type ShadowConfig = {
  versions: number[];
  /** Versions rendered with other versions of partials they include; absent in older settings. */
  compositions?: ShadowComposition[];
  sampleRate: number;
  maxCallsPerDay: number;
  maxCostUsdPerDay: number | null;
  /** The connection the candidates are called through (id or name); null: the default connection. */
  connection: string | null;
  /** A pairwise llm_judge asked which answer is better (both orders); null: wins come from the scores. */
  judge: NamedScorerSpec | null;
};

/**
 * A shadow candidate that is a version rendered with named versions of partials it includes instead of the
 * environment's: a partial's candidate inside a prompt that includes it, usually that prompt's live version.
 */
export type ShadowComposition = { version: number; partials: Record<string, number> };

/** One scorer's verdict on a candidate's answer, as kept per shadow result. */
export type ShadowScore = {
  name: string;
  type: string;
  weight: number;
  threshold: number;
  score: number;
  passed: boolean;
  reason: string;
  error?: string;
};

/** The pairwise judge's preference: the candidate's answer, the live one, or a tie (also when the order changed it). */
export type ShadowPreference =
  | {
      winner: "candidate" | "live" | "tie";
      reason: string;
      /** The verdict of each order (answers kept before this was recorded have none). */
      orders?: { candidateFirst: ShadowSide; liveFirst: ShadowSide };
    }
  | { error: string };

/** Which answer the pairwise judge preferred in one order. */
export type ShadowSide = "candidate" | "live" | "tie";

/**
 * A sampled output's input, as the generation event carried it: the variables used (an object), the user's
 * message (a string) or the messages (a list); null when it carried none. Only an object can render a shadow
 * candidate or re-run the prompt.
 */
export type SampleInput = string | number | boolean | unknown[] | { [key: string]: unknown };

/** An alert's numbers: per-metric means, n, drop, p-values, the versions compared. */
export type AlertDetails = Record<string, unknown>;
