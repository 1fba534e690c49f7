// The prompt page's read of its guarded rollouts (issue 43): the running and paused ones with what their
// guardrails read at the current step, then the ended ones; and the defaults the start form offers.
import type { Db } from "@/db/client";
import { builtInMetrics } from "@/lib/experiments/definition";
import { DEFAULT_MIN_SAMPLE_PER_ARM, DEFAULT_ROLLOUT_STEPS } from "@/lib/experiments/rollout-decide";
import { listRollouts, readRollout } from "@/lib/experiments/rollout-reads";
import type { RolloutDto } from "@/lib/experiments/rollout-state";
import { DEFAULT_ROLLOUT_GUARDRAILS } from "@/lib/experiments/rollouts";
import { metricLabel } from "@/components/experiments/format";

export type { ActiveRollout } from "@/components/rollouts/rollout-guardrails";
export type EndedRollout = RolloutDto;

/** A built-in metric the start form offers as a guardrail. */
export type GuardrailChoice = { name: string; label: string; worse: string; ticked: boolean };

export type RolloutDefaults = {
  steps: { percent: number; minMinutes: number; minSubjects: number }[];
  minSamplePerArm: number;
  guardrails: GuardrailChoice[];
};

const isActive = (r: RolloutDto) => r.status === "running" || r.status === "paused";

export async function promptRollouts(db: Db, projectId: string, prompt: string) {
  const all = await listRollouts(db, projectId, prompt);
  const active = await Promise.all(all.filter(isActive).map((r) => readRollout(db, projectId, r.id)));
  return { active, ended: all.filter((r) => !isActive(r)) };
}

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
