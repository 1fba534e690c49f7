// What the prompt page's rollout start form offers before anyone types: the steps, the sample per arm and the
// built-in metrics as guardrails, with the defaults ticked. The rollouts themselves are read in
// lib/views/prompt-rollouts.ts.
import { builtInMetrics } from "@/lib/experiments/definition";
import { DEFAULT_MIN_SAMPLE_PER_ARM, DEFAULT_ROLLOUT_STEPS } from "@/lib/experiments/rollouts/rollout-decide";
import { DEFAULT_ROLLOUT_GUARDRAILS } from "@/lib/experiments/rollouts/rollouts";
import { metricLabel } from "@/components/experiments/experiment-format";

/** A built-in metric the start form offers as a guardrail. */
export type GuardrailChoice = { name: string; label: string; worse: string; ticked: boolean };

export type RolloutDefaults = {
  steps: { percent: number; minMinutes: number; minSubjects: number }[];
  minSamplePerArm: number;
  guardrails: GuardrailChoice[];
};

export const rolloutDefaults = (): RolloutDefaults => ({
  steps: DEFAULT_ROLLOUT_STEPS.map((s) => ({ ...s })),
  minSamplePerArm: DEFAULT_MIN_SAMPLE_PER_ARM,
  guardrails: Object.entries(builtInMetrics).map(([name, m]) => ({
    name,
    label: metricLabel(name),
    worse: m.goal === "increase" ? "lower is worse" : "higher is worse",
    ticked: (DEFAULT_ROLLOUT_GUARDRAILS as readonly string[]).includes(name),
  })),
});
