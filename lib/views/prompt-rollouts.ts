// The prompt page's read of its guarded rollouts (docs/decisions/guarded-rollouts.md): the running and paused ones with
// what their guardrails read at the current step, then the ended ones. The start form's defaults are the page's own
// (app/(dashboard)/[project]/prompts/[...name]/_components/rollout-defaults.ts).
import type { Db } from "../../db/client";
import { listPromptRollouts, getRollout } from "../experiments/rollouts/rollout-reads";
import type { RolloutDto } from "../experiments/rollouts/rollout-state";

export type EndedRollout = RolloutDto;

const isActive = (r: RolloutDto) => r.status === "running" || r.status === "paused";

export async function promptRollouts(db: Db, projectId: string, prompt: string) {
  const all = await listPromptRollouts(db, projectId, prompt);
  const active = await Promise.all(all.filter(isActive).map((r) => getRollout(db, projectId, r.id)));
  return { active, ended: all.filter((r) => !isActive(r)) };
}
