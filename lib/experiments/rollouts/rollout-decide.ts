// What a guarded rollout does next, from its state and what its guardrails read now. Pure: the rollouts
// job (rollout-job.ts) and the simulation (rollout-simulate.ts) call the same rule.
//
// The guardrails are read over the whole rollout so far (every step: one seed, so subjects keep their arm), as
// one always-valid sequence. In order:
//   1. a paused rollout waits;
//   2. at any step, whatever its minimums: a guardrail whose interval lies wholly beyond the margin (the harm is
//      larger than the margin even at its most favourable: LaunchDarkly's rule) rolls back, and so does one
//      significantly worse (Holm over the guardrails, so checking every minute is honest);
//   3. a step whose minimum time, or minimum of subjects on the new version since the rollout started, is not
//      reached waits;
//   4. too few subjects to tell waits, saying so: no guardrail has data yet ("waiting for data"), or one that has
//      data has fewer than minSamplePerArm subjects with a value in an arm (a guardrail with no data on either
//      version holds nothing, and the decision names it as not watched);
//   5. with a margin, a step also waits until every guardrail's interval excludes a harm larger than the margin;
//   6. then the rollout advances, and the step before 100 % completes it (the new version becomes the deployment).
import type { ArmRead, RolloutGuardrailReading, RolloutState, RolloutStep } from "../contracts";

export const DEFAULT_ROLLOUT_STEPS: readonly RolloutStep[] = [
  { percent: 5, minMinutes: 60, minSubjects: 100 },
  { percent: 25, minMinutes: 60, minSubjects: 250 },
  { percent: 50, minMinutes: 60, minSubjects: 500 },
  { percent: 100, minMinutes: 0, minSubjects: 0 },
];

/**
 * The subjects with a value each arm needs on a guardrail before a step is taken, unless the rollout sets its own:
 * Harness holds significance until a minimum sample per treatment; at 200 per arm a sequential interval is no
 * longer mostly noise, and a 5 % step of 4,000 subjects reaches it.
 */
export const DEFAULT_MIN_SAMPLE_PER_ARM = 200;

/** The guardrail readings with the direction each is bad in and what they were read from, as the job hands them over. */
export type GuardrailInput = RolloutGuardrailReading & {
  direction: "increase_is_bad" | "decrease_is_bad";
  arms: { live: ArmRead; new: ArmRead };
};

export type RolloutAction =
  | { action: "wait"; reason: string }
  | { action: "rollback"; reason: string; metric: string }
  | { action: "advance"; reason: string; to: number }
  | { action: "complete"; reason: string };

/** "latency_ms 12.3% higher on the new version (likely between 4.1% and 20.5% higher)": a reading in words. */
export function readingText(g: RolloutGuardrailReading): string {
  return `${g.metric} ${readingOf(g)}`;
}

/** "50.0% higher on the new version (likely between 20.0% and 80.0% higher)": a reading without its metric. */
function readingOf(g: RolloutGuardrailReading): string {
  if (g.lift === null) return "not compared yet";
  return `${change(g.lift)} on the new version${g.ci ? ` (likely ${range(g.ci)})` : ""}`;
}

/** "19.3% higher", "0.4% lower", "no different": a relative change in words (rows are sentences). */
const change = (x: number) =>
  Math.abs(x) < 0.0005 ? "no different" : `${(Math.abs(x) * 100).toFixed(1)}% ${x > 0 ? "higher" : "lower"}`;
/** An interval in words: "between 19.2% lower and 76.2% higher", "between 20.0% and 80.0% higher". */
function range([lo, hi]: readonly [number, number]): string {
  const [a, b] = [change(lo), change(hi)];
  const side = (x: string) => x.split(" ").at(-1);
  return lo * hi > 0 && side(a) === side(b) ? `between ${a.split(" ")[0]} and ${b}` : `between ${a} and ${b}`;
}

/** The bound of the interval on the bad side: the largest harm the data still allows. */
const worstCase = (g: GuardrailInput): number | null =>
  g.ci === null ? null : g.direction === "increase_is_bad" ? g.ci[1] : -g.ci[0];

/** The bound of the interval on the good side: the smallest harm the data allows (above 0: surely worse). */
const bestCase = (g: GuardrailInput): number | null =>
  g.ci === null ? null : g.direction === "increase_is_bad" ? g.ci[0] : -g.ci[1];

export function stepLabel(state: Pick<RolloutState, "steps" | "step">): string {
  return `step ${state.step + 1} of ${state.steps.length} (${state.steps[state.step]!.percent} %)`;
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
const count = (n: number) => n.toLocaleString("en-US");

/** "latency_ms: 180 subjects (412 events) on the live version, 20 (37) on the new one": what a reading rests on. */
export function armsText(g: GuardrailInput): string {
  const { live, new: next } = g.arms;
  return `${g.metric}: ${count(live.subjects)} subjects (${count(live.events)} events) on the live version, ${count(next.subjects)} (${count(next.events)}) on the new one`;
}

const hasData = (g: GuardrailInput) => g.arms.live.subjects > 0 || g.arms.new.subjects > 0;
const smallerArm = (g: GuardrailInput) => Math.min(g.arms.live.subjects, g.arms.new.subjects);

export function decideRollout(
  state: Pick<RolloutState, "steps" | "step" | "stepStartedAt" | "paused" | "margin" | "minSamplePerArm">,
  now: Date,
  reading: { newSubjects: number; guardrails: readonly GuardrailInput[] },
): RolloutAction {
  const step = state.steps[state.step]!;
  if (state.paused) return { action: "wait", reason: "paused by a person" };
  if (state.margin !== null) {
    const beyond = reading.guardrails.find((g) => {
      const b = bestCase(g);
      return b !== null && b > state.margin!;
    });
    if (beyond)
      return {
        action: "rollback",
        metric: beyond.metric,
        reason: `${beyond.metric} is worse by more than the margin of ${percent(state.margin)} on the new version at ${stepLabel(state)}: ${readingOf(beyond)}`,
      };
  }
  const bad = reading.guardrails.find((g) => g.significant);
  if (bad)
    return {
      action: "rollback",
      metric: bad.metric,
      reason: `${bad.metric} is significantly worse on the new version at ${stepLabel(state)}: ${readingOf(bad)}`,
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
  const minSample = state.minSamplePerArm ?? DEFAULT_MIN_SAMPLE_PER_ARM;
  const watched = reading.guardrails.filter(hasData);
  const unwatched = reading.guardrails.filter((g) => !hasData(g)).map((g) => g.metric);
  if (reading.guardrails.length && !watched.length)
    return {
      action: "wait",
      reason: `waiting for data: no guardrail has a value on either version yet (${unwatched.join(", ")})`,
    };
  const short = watched.filter((g) => smallerArm(g) < minSample).sort((a, b) => smallerArm(a) - smallerArm(b));
  if (short.length) {
    const g = short[0]!;
    const arm = g.arms.new.subjects <= g.arms.live.subjects ? "new" : "live";
    const others =
      short.length > 1 ? `; ${short.length - 1} more guardrail${short.length > 2 ? "s" : ""} short too` : "";
    return {
      action: "wait",
      reason: `too few subjects to tell: ${g.metric} has ${count(smallerArm(g))} of the ${count(minSample)} subjects per arm a step needs on the ${arm} version (${armsText(g)})${others}`,
    };
  }
  if (state.margin !== null) {
    const unsure = watched.find((g) => {
      const w = worstCase(g);
      return w === null || w > state.margin!;
    });
    if (unsure)
      return {
        action: "wait",
        reason: `${unsure.metric} does not yet exclude a harm larger than ${percent(state.margin)}: ${readingOf(unsure)}`,
      };
  }
  const notWatched = unwatched.length ? `; not watched, no data on either version: ${unwatched.join(", ")}` : "";
  const why = watched.length
    ? `no guardrail worse (${watched.map(readingText).join("; ")})${notWatched}`
    : "its minimums are met (no guardrail to watch)";
  const next = state.step + 1;
  if (next >= state.steps.length - 1 || state.steps[next]!.percent >= 100)
    return { action: "complete", reason: `${stepLabel(state)} met: ${why}` };
  return { action: "advance", to: next, reason: `${stepLabel(state)} met: ${why}` };
}
