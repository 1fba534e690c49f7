// Auto-promote where every release is a guarded rollout (docs/decisions/guarded-rollouts.md): a passing run starts a
// rollout of its version with the environment's steps, as the auto-promote actor, its reason naming the run. The start
// itself (lib/experiments' startRollout) checks the whole release plan under the prompt's lock as it does
// for a person; here the job's own refusals come first, each with a reason people can act on: the run does
// not count or scores too low, an experiment or another rollout runs there, the version was rolled back
// there (automation never releases it again), or the plan is not met.
import type { DomainContext } from "../../context";
import { experiments, runningExperimentOn } from "../../../db/schema";
import { isAppError } from "../../errors";
import type { PromptRow } from "../../registry/prompts";
import type { EnvironmentRow } from "../environments";
import { planRefusal, type ReleasePlan } from "../plan/plan";
import { planFor } from "../plan/plan-facts";

/** Starts a guarded rollout (startRollout's contract), as the auto-promote actor. */
export type RolloutStarter = (
  ctx: DomainContext,
  prompt: string,
  input: {
    environment: string;
    version: number;
    steps?: { percent: number; minMinutes: number; minSubjects: number }[];
    reason: string;
  },
) => Promise<{ id: string; percent: number }>;

export type AutoRolloutDecision = { action: "rollout_started" | "skipped"; reason: string; rolloutId?: string };

export async function autoRollout(
  ctx: DomainContext,
  prompt: PromptRow,
  env: EnvironmentRow,
  version: number,
  opts: { reason: string; refuse: (plan: ReleasePlan) => string | null; start: RolloutStarter },
): Promise<AutoRolloutDecision & { environment: string }> {
  const skip = (why: string) => ({
    environment: env.name,
    action: "skipped" as const,
    reason: `no guarded rollout started: ${why}`,
  });
  const [running] = await ctx.db
    .select({ name: experiments.name, kind: experiments.kind })
    .from(experiments)
    .where(runningExperimentOn(prompt.id, env.id))
    .limit(1);
  if (running)
    return skip(
      running.kind === "rollout"
        ? `a guarded rollout (“${running.name}”) already runs on ${prompt.name} in ${env.name}`
        : `experiment “${running.name}” runs on ${prompt.name} in ${env.name}; a rollout starts only once it is stopped`,
    );
  const plan = await planFor(ctx.db, prompt, env, version, { purpose: "rollout" });
  const refused = opts.refuse(plan);
  if (refused) return skip(refused);
  const rolledBack = plan.steps.find((s) => s.id === "rolled_back" && !s.met);
  if (rolledBack) return skip(rolledBack.detail);
  if (plan.status === "blocked") return skip(planRefusal(plan).message);
  const steps = env.guardedRollout?.steps;
  try {
    const r = await opts.start(ctx, prompt.name, {
      environment: env.name,
      version,
      reason: opts.reason,
      ...(steps && { steps }),
    });
    return { environment: env.name, action: "rollout_started", reason: opts.reason, rolloutId: r.id };
  } catch (e) {
    // Refused under the lock (someone released or started meanwhile): the reason says what.
    if (!isAppError(e)) throw e;
    return skip(e.message);
  }
}
