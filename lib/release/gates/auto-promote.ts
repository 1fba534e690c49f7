// Auto-promote: an environment with an evaluation gate and `autoPromoteMinScore` receives a version as
// soon as a run of it completes that counts for the gate (the gate's dataset version and scorers, the
// environment's partials) and scores at least that threshold. It promotes through promoteVersion() like a
// person would — the whole release plan applies (gate, review, live-in; breaking changes to a
// protected environment are never confirmed by a job), the deployment is audited as `auto_promote`
// and its reason names the run — and it never promotes a version rolled back automatically there.
// Where the environment makes every release a guarded rollout and something else is live, it
// starts one instead (auto-rollout.ts), through the starter the wiring passes in.
import { projectContext } from "../../context";
import { and, asc, eq, isNotNull } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { environments, evalRuns, prompts } from "../../../db/schema";
import type { Actor } from "../../auth/permissions";
import { isAppError } from "../../errors";
import { getPrompt } from "../../registry/prompts";
import { autoRollout, type RolloutStarter } from "./auto-rollout";
import { liveDeployment } from "../deployments";
import type { EventSink } from "../../announcements";
import type { ReleasePlan } from "../plan/plan";
import { promoteVersion } from "../promote";

export type { RolloutStarter } from "./auto-rollout";

const system: Actor = { type: "system", label: "auto-promote" };

export interface AutoPromoteDecision {
  environment: string;
  action: "promoted" | "rollout_started" | "skipped";
  reason: string;
  deploymentId?: number;
  rolloutId?: string;
}

type CompletedRun = Pick<typeof evalRuns.$inferSelect, "id" | "projectId" | "promptId" | "version" | "datasetId"> & {
  status: string;
  score: number | null;
};

/** Why this run may not release the version there (checked with the plan), or null. */
const refusal = (run: CompletedRun & { score: number }, env: string, threshold: number) => (plan: ReleasePlan) => {
  const gate = plan.steps.find((s) => s.id === "evaluation")?.evaluation;
  if (gate?.run !== run.id)
    return `run ${run.id} does not count for the gate of ${env} (other items, scorers or partials than the gate's)`;
  if (run.score < threshold)
    return `run ${run.id} scored ${run.score.toFixed(3)}, below the auto-promote threshold ${threshold}`;
  return null;
};

/**
 * `startRollout` is required: where an environment requires guarded rollouts, a passing run starts one
 * (lib/experiments' startRollout; lib/release never imports lib/experiments, so the wiring passes it).
 */
export async function autoPromote(
  db: Db,
  run: CompletedRun,
  events: EventSink,
  startRollout: RolloutStarter,
): Promise<AutoPromoteDecision[]> {
  if (run.status !== "completed" || run.score === null) return [];
  const scored = { ...run, score: run.score };
  const envs = await db
    .select()
    .from(environments)
    .where(
      and(
        eq(environments.projectId, run.projectId),
        eq(environments.gateDatasetId, run.datasetId),
        isNotNull(environments.autoPromoteMinScore),
      ),
    )
    // In promotion order: an earlier environment's promotion can meet a later one's live-in rule.
    .orderBy(asc(environments.position), asc(environments.name));
  if (!envs.length) return [];
  const [prompt] = await db.select({ name: prompts.name }).from(prompts).where(eq(prompts.id, run.promptId));
  const ctx = projectContext(db, system, run.projectId, events);
  const decisions: AutoPromoteDecision[] = [];
  for (const env of envs) {
    const threshold = env.autoPromoteMinScore!;
    const reason = `Auto-promote: evaluation run ${run.id} scored ${run.score.toFixed(3)} (threshold ${threshold})`;
    const refuse = refusal(scored, env.name, threshold);
    // A first release is not a rollout (nothing to ramp beside): the plan lets it through as a promotion.
    const live = env.guardedRollout ? await liveDeployment(db, run.promptId, env.id) : undefined;
    if (env.guardedRollout && live && live.version !== run.version) {
      const row = await getPrompt(db, run.projectId, prompt!.name);
      decisions.push(await autoRollout(ctx, row, env, run.version, { reason, refuse, start: startRollout }));
      continue;
    }
    try {
      const d = await promoteVersion(
        ctx,
        prompt!.name,
        { environment: env.name, version: run.version, reason },
        // Checked under the lock with the plan: only this run, counting for the gate, may trigger it.
        { action: "auto_promote", refuse },
      );
      // Already served there: nothing to do (not a refusal), and nothing was written.
      decisions.push(
        d.status === "already_live"
          ? {
              environment: env.name,
              action: "skipped",
              reason: `version ${run.version} is already live; nothing to do`,
            }
          : { environment: env.name, action: "promoted", reason: d.deployment.reason, deploymentId: d.deployment.id },
      );
    } catch (e) {
      if (!isAppError(e)) throw e;
      decisions.push({ environment: env.name, action: "skipped", reason: `not promoted: ${e.message}` });
    }
  }
  return decisions;
}
