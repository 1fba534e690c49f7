// The release plan: what a version still needs before an environment may serve it, and what it has
// already met. One pure function of the facts (loaded by plan-facts.ts under the prompt's lock when a
// release happens), so the promote dialog, the request-review dialog, the review page, the prompt
// page, the REST API and every operation that moves what is served (promote, approve, ship an
// experiment, auto-promote, start or reweight an experiment) read the same answer.
//
// The rules come from the environment:
//   live_in     requiresLiveIn: the version was live in that environment before (now or earlier)
//   evaluation  an evaluation gate: a completed run of the version on the gate's dataset (at the pinned
//               version, else its current items), made with the gate's own scorers and rendered as the
//               environment serves partials, scoring ≥ minScore and at most maxDrop below the live
//               version's run on the same items (mode threshold), or no gate scorer significantly worse
//               than the live version's run item by item (mode paired), or both (plan-evaluation.ts);
//               in every mode every gate item must have run and been scored, and in paired mode enough
//               items must pair on every gate scorer (../gates/gate-evidence.ts)
//   shadow      requiresShadow: the version answered at least minInputs live inputs of the environment's
//               live version in the shadow (online evaluation) with no scorer significantly worse; for a
//               partial with dependents there, their shadow comparisons with it stand for it
//   review      requiresReview: an approved review of this version for this environment
//   dependents  a partial's release is its dependents' release: each prompt that includes it there meets
//               its own gate (on the composed text), review and shadow rules, or an approver overrides
//   breaking    a protected environment takes a change that breaks its callers only when the caller
//               confirmed it (`confirmBreaking`: true, or the keys of the changes the person saw)
//   experiments a partial's release that changes what a running experiment's arms serve (on a prompt that
//               includes it) waits for the caller's choice: a new phase, or a stop (plan-composing.ts)
// Notices are not steps: what the release will also do (stop a running experiment), why automation keeps
// away (the version was rolled back automatically here), or what a standard would refuse in the version (a
// skill's SKILL.md fields outside the Agent Skills specification, saved before Lectern moved them).

import type { ComposingExperiment, ExperimentAction } from "../composing";
import { composingStep } from "./plan-composing";
import { rolledBackStep, type RollbackFact } from "./plan-rolled-back";
import { dependentPlans, dependentsStep, type DependentFacts, type DependentPlan } from "./plan-dependents";
import { evaluationStep } from "./plan-evaluation";
import { partialShadowStep } from "./plan-partial-shadow";
import { breakingStep, liveInStep, planNotices, reviewStep, rolloutStep } from "./plan-rules";
import type { ShadowFacts } from "./shadow-facts";
import type { GateFacts, PairedGateFacts, ReviewFact } from "./plan-types";
import type { JudgeTrust } from "../../scorers/judge-agreement";

export type StepId =
  | "rolled_back"
  | "live_in"
  | "evaluation"
  | "shadow"
  | "review"
  | "dependents"
  | "rollout"
  | "breaking"
  | "experiments";

/**
 * Why a release is made: an experiment's variant may be a version this environment served before; a guarded
 * rollout's start (or an experiment's ship) is how a release goes where every release must be a rollout.
 */
export type PlanPurpose = "promote" | "experiment" | "rollout";

export type { CountingRunFact, GateFacts, PairedGateFacts, PlanAction, ReviewFact, RunFact } from "./plan-types";
import type { PlanAction } from "./plan-types";

export interface PlanFacts {
  prompt: string;
  version: number;
  environment: {
    name: string;
    protected: boolean;
    requiresReview: boolean;
    requiresLiveIn: string | null;
    /** Every release here is a guarded rollout (../rollout-rule.ts). */
    guardedRollout?: boolean;
  };
  /** The version the environment serves now. */
  live: number | null;
  /** Every environment the version has been live in (now or before). */
  wasLiveIn: string[];
  gate: GateFacts | null;
  /** The shadow comparison with the live version, when the environment requires one and a version is live. */
  shadow?: ShadowFacts | null;
  reviews: { approved: ReviewFact | null; pending: ReviewFact | null };
  /** Changes from the live version that break callers (only listed for a protected environment). */
  breaking: { key: string; message: string }[];
  /** Experiments running on this prompt in this environment. */
  experiments: { id: string; name: string }[];
  /** The rollback that last took this version out of service here (plan-rolled-back.ts), or null. */
  rolledBack: RollbackFact | null;
  /** The prompts that include this one where the environment serves it (plan-dependents.ts). */
  dependents?: DependentFacts[];
  /** Experiments and rollouts running on those prompts whose arms this release changes (../composing.ts). */
  composing?: ComposingExperiment[];
  /** A skill version's SKILL.md fields outside the Agent Skills specification (saved before the rule). */
  skillFieldsOutsideSpec?: string[];
}

export interface PlanStep {
  id: StepId;
  met: boolean;
  /** What the rule asks, e.g. "Live in staging first". */
  title: string;
  /** Where the version stands against it, in a sentence. */
  detail: string;
  /** What to do next when the step is not met (null when nothing can be done from here). */
  action: PlanAction | null;
  /** The evaluation step's numbers (run, score, thresholds, baseline). */
  evaluation?: {
    dataset: string;
    datasetId: string;
    datasetVersion: number;
    pinned: boolean;
    minScore: number;
    maxDrop: number;
    run: string | null;
    score: number | null;
    baseline: { version: number; run: string | null; score: number | null } | null;
    drop: number | null;
    /** Items in the gate's dataset version, and how many of them failed in the run (null without a run). */
    items: number;
    failedItems: number | null;
    /** Paired items each gate scorer needs (modes paired and both; ../gates/gate-evidence.ts pairsNeeded). */
    pairsNeeded: number | null;
    mode: GateFacts["mode"];
    /** The paired comparison with the live version's run (modes paired and both). */
    paired: PairedGateFacts | null;
    /** The gate's LLM judges with their agreement with people; a warning does not block, it informs. */
    judges: JudgeTrust[];
  };
  /** The breaking step's changes. */
  breaking?: { key: string; message: string }[];
  /** The shadow step's numbers. */
  shadow?: ShadowFacts;
}

export type PlanNotice =
  | { kind: "stops_experiment"; experiment: { id: string; name: string }; message: string }
  | { kind: "served_before"; message: string }
  | { kind: "skill_fields"; message: string };

export interface ReleasePlan {
  prompt: string;
  version: number;
  environment: string;
  live: number | null;
  /** live: the environment serves this version already; ready: every step is met; blocked otherwise. */
  status: "live" | "ready" | "blocked";
  steps: PlanStep[];
  /** The ids of the steps not met, in order. */
  missing: StepId[];
  notices: PlanNotice[];
  /** The prompts that include this one there, each with its own steps for the composed result. */
  dependents: DependentPlan[];
  /** One sentence: what is missing, or that it is ready. */
  summary: string;
}

export interface PlanOptions {
  confirmBreaking?: boolean | readonly string[];
  confirmRolledBack?: boolean;
  /** A person allowed to override confirmed releasing past the dependents' rules (../promote.ts checks who). */
  confirmDependents?: boolean;
  purpose?: PlanPurpose;
  /** What happens to the experiments the release changes (the `experiments` step; ../composing.ts). */
  experimentAction?: ExperimentAction;
}

export function releasePlan(f: PlanFacts, opts: PlanOptions = {}): ReleasePlan {
  const env = f.environment.name;
  const v = f.version;
  const servedHere = f.wasLiveIn.includes(env);
  // An experiment may serve a version this environment has served before, as a rollback may return to it.
  const servedBefore = opts.purpose === "experiment" && servedHere && f.live !== v;
  const rolledBack = rolledBackStep(f, opts.confirmRolledBack ?? false);
  const steps: PlanStep[] = rolledBack ? [rolledBack] : [];

  const liveIn = liveInStep(f, servedBefore);
  if (liveIn) steps.push(liveIn);

  if (f.gate) steps.push(evaluationStep(f, f.gate, servedBefore));
  // A partial's own shadow step is judged through its dependents' (plan-partial-shadow.ts).
  const dependents = f.live === v ? [] : dependentPlans(f);
  const overridden = opts.confirmDependents ?? false;
  if (f.shadow) steps.push(partialShadowStep(f, f.shadow, servedBefore, dependents, overridden));

  const review = reviewStep(f, servedBefore);
  if (review) steps.push(review);
  const rollout = rolloutStep(f, opts.purpose);
  if (rollout) steps.push(rollout);

  const dependentsMet = dependentsStep(f, dependents, overridden);
  if (dependentsMet) steps.push(dependentsMet);

  const breaking = breakingStep(f, servedBefore, opts.confirmBreaking ?? false);
  if (breaking) steps.push(breaking);

  // Last: the choice matters once everything else lets the version go.
  const composing = composingStep(f, opts.experimentAction);
  if (composing) steps.push(composing);

  const notices = planNotices(f, servedBefore, opts.purpose);
  const missing = steps.filter((s) => !s.met).map((s) => s.id);
  const status = f.live === v ? "live" : missing.length ? "blocked" : "ready";
  return {
    prompt: f.prompt,
    version: v,
    environment: env,
    live: f.live,
    status,
    steps,
    missing,
    notices,
    dependents,
    summary: summarize(f, status, steps),
  };
}

function summarize(f: PlanFacts, status: ReleasePlan["status"], steps: PlanStep[]): string {
  const env = f.environment.name;
  if (status === "live") return `${env} serves version ${f.version} now.`;
  const missing = steps.filter((s) => !s.met);
  if (!missing.length) return `Version ${f.version} can go live in ${env}.`;
  const n = missing.length;
  return `Version ${f.version} needs ${n === 1 ? "one more step" : `${n} more steps`} before ${env}: ${missing.map((s) => s.title.toLowerCase()).join("; ")}.`;
}

export { planRefusal } from "./plan-refusal";
