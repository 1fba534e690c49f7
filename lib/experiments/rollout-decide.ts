// What a guarded rollout does next, from its state and what its guardrails read now. Pure: the rollouts
// job (rollout-job.ts) and the simulation (rollout-simulate.ts) call the same rule.
//
// The guardrails are read over the whole rollout so far (every step: one seed, so subjects keep their arm), as
// one always-valid sequence. In order: a paused rollout waits; any guardrail significantly worse (Holm over the
// guardrails, so checking every minute is honest) rolls back at once, whatever the step's minimums; a step
// whose minimum time, or minimum of subjects on the new version since the rollout started, is not reached waits; with a margin, a step
// also waits until every guardrail's interval excludes a harm larger than the margin; then the rollout
// advances, and the step before 100 % completes it (the new version becomes the environment's deployment).
import type { RolloutGuardrailReading, RolloutState, RolloutStep } from "./contracts";

export const DEFAULT_ROLLOUT_STEPS: readonly RolloutStep[] = [
  { percent: 5, minMinutes: 60, minSubjects: 100 },
  { percent: 25, minMinutes: 60, minSubjects: 250 },
  { percent: 50, minMinutes: 60, minSubjects: 500 },
  { percent: 100, minMinutes: 0, minSubjects: 0 },
];

/** The guardrail readings with the direction each is bad in, as the job hands them over. */
export type GuardrailInput = RolloutGuardrailReading & { direction: "increase_is_bad" | "decrease_is_bad" };

export type RolloutAction =
  | { action: "wait"; reason: string }
  | { action: "rollback"; reason: string; metric: string }
  | { action: "advance"; reason: string; to: number }
  | { action: "complete"; reason: string };

const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;

/** "latency_ms +12.3% [+4.1%, +20.5%]": a reading in words. */
export function readingText(g: RolloutGuardrailReading): string {
  if (g.lift === null) return `${g.metric} (no lift yet)`;
  return `${g.metric} ${pct(g.lift)}${g.ci ? ` [${pct(g.ci[0])}, ${pct(g.ci[1])}]` : ""}`;
}

/** The bound of the interval on the bad side: the largest harm the data still allows. */
const worstCase = (g: GuardrailInput): number | null =>
  g.ci === null ? null : g.direction === "increase_is_bad" ? g.ci[1] : -g.ci[0];

export function stepLabel(state: Pick<RolloutState, "steps" | "step">): string {
  return `step ${state.step + 1} of ${state.steps.length} (${state.steps[state.step]!.percent} %)`;
}

export function decideRollout(
  state: Pick<RolloutState, "steps" | "step" | "stepStartedAt" | "paused" | "margin">,
  now: Date,
  reading: { newSubjects: number; guardrails: readonly GuardrailInput[] },
): RolloutAction {
  const step = state.steps[state.step]!;
  if (state.paused) return { action: "wait", reason: "paused by a person" };
  const bad = reading.guardrails.find((g) => g.significant);
  if (bad)
    return {
      action: "rollback",
      metric: bad.metric,
      reason: `${readingText(bad)} is significantly worse on the new version at ${stepLabel(state)}`,
    };
  const minutes = (now.getTime() - new Date(state.stepStartedAt).getTime()) / 60_000;
  if (minutes < step.minMinutes)
    return {
      action: "wait",
      reason: `${stepLabel(state)} has run ${Math.floor(minutes)} of its ${step.minMinutes} minutes`,
    };
  if (reading.newSubjects < step.minSubjects)
    return {
      action: "wait",
      reason: `${stepLabel(state)} has ${reading.newSubjects} of its ${step.minSubjects} subjects on the new version`,
    };
  if (state.margin !== null) {
    const unsure = reading.guardrails.find((g) => {
      const w = worstCase(g);
      return w === null || w > state.margin!;
    });
    if (unsure)
      return {
        action: "wait",
        reason: `${readingText(unsure)} does not yet exclude a harm larger than ${(state.margin * 100).toFixed(1)}%`,
      };
  }
  const why = reading.guardrails.length
    ? `no guardrail worse (${reading.guardrails.map(readingText).join("; ")})`
    : "its minimums are met (no guardrail to watch)";
  const next = state.step + 1;
  if (next >= state.steps.length - 1 || state.steps[next]!.percent >= 100)
    return { action: "complete", reason: `${stepLabel(state)} met: ${why}` };
  return { action: "advance", to: next, reason: `${stepLabel(state)} met: ${why}` };
}
