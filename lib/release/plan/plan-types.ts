// The facts of the release plan's evaluation gate and reviews (plan.ts re-exports them): what
// ../gates/gate-facts.ts and plan-facts.ts read, and what plan-evaluation.ts decides from.
import type { JudgeTrust } from "../../scorers/judge-agreement";
import type { ComposingChoice } from "./plan-composing";

export interface RunFact {
  id: string;
  status: "queued" | "running" | "completed" | "unscored" | "failed" | "cancelled";
  score: number | null;
  datasetVersion: number;
  done: number;
  total: number;
}

/** A completed run that counts for a gate, with the gate items it has no clean result for. */
export interface CountingRunFact extends RunFact {
  /** Gate items without a clean result: a repetition failed to run, a scorer could not judge it, or none. */
  failedItems: number;
  /** The first failure by item position, in words; null when nothing failed. */
  firstFailure: string | null;
}

/** The version's run against the live version's on the same items (gate modes paired and both). */
export interface PairedGateFacts {
  alpha: number;
  items: number;
  scorers: {
    name: string;
    /** Items both runs scored on this scorer (the real pairs), not the dataset's size. */
    n: number;
    meanDiff: number | null;
    ci: [number, number] | null;
    adjustedPValue: number | null;
    direction: "better" | "worse" | "same";
  }[];
}

export interface GateFacts {
  /** threshold: minScore and maxDrop; paired: no gate scorer significantly worse than live; both. */
  mode: "threshold" | "paired" | "both";
  /** The paired comparison, when the mode asks for it and both runs exist. */
  paired: PairedGateFacts | null;
  dataset: { id: string; name: string };
  /** The dataset version the gate checks: the pinned one, else the current one. */
  datasetVersion: number;
  pinned: boolean;
  currentVersion: number;
  /** Items in the gate's dataset version: what a run must cover, and what paired items are counted against. */
  items: number;
  minScore: number;
  maxDrop: number;
  /** The gate's own scorer specs (normalised). */
  scorers: unknown[];
  /** The newest completed run of the version that counts for the gate. */
  run: CountingRunFact | null;
  /** A queued or running run that will count once it completes. */
  inProgress: RunFact | null;
  /** The newest completed run on this dataset that does not count, and why (other items or scorers). */
  outdated: (RunFact & { why: string }) | null;
  /** The live version's counting run, when another version is live. */
  baseline: { version: number; run: CountingRunFact | null } | null;
  /** The gate's LLM judges and how far people's labels trust them (judge-facts.ts); empty without judges. */
  judges: JudgeTrust[];
}

export interface ReviewFact {
  id: string;
  by: string | null;
  at: string;
}

/** What to do next about a step that is not met (plan.ts PlanStep.action). */
export type PlanAction =
  | { kind: "promote"; environment: string; version: number }
  | {
      kind: "run_evaluation";
      environment: string;
      version: number;
      dataset: string;
      datasetVersion: number;
      /** Another prompt's run: one that includes the partial being released. */
      prompt?: string;
      /** Partials at these versions in that run (the candidate). */
      partials?: Record<string, number>;
    }
  | { kind: "wait_for_run"; run: string }
  | { kind: "request_review"; environment: string; version: number }
  | { kind: "decide_review"; review: string }
  | { kind: "confirm_breaking"; keys: string[] }
  | { kind: "confirm_rolled_back" }
  | { kind: "confirm_dependents"; prompts: string[] }
  | {
      kind: "open_shadow";
      environment: string;
      /** Another prompt's shadow: one that includes the partial being released. */
      prompt?: string;
      /** The candidate to look for there: its version rendered with the partial's candidate version. */
      composition?: { version: number; partials: Record<string, number> };
    }
  | { kind: "start_rollout"; environment: string; version: number }
  | ({ kind: "choose_experiment_action" } & ComposingChoice);
