// Auto-promote: an environment with an evaluation gate and `autoPromoteMinScore` receives a version as
// soon as a run of it completes that counts for the gate (the gate's dataset version and scorers, the
// environment's partials) and scores at least that threshold. It promotes through promote() like a
// person would — the whole release plan applies (gate, review, live-in; breaking changes to a
// protected environment are never confirmed by a job), the deployment is audited as `auto_promote`
// and its reason names the run — and it never promotes a version rolled back automatically there.
import { and, asc, eq, isNotNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { environments, evalRuns, prompts } from "../../db/schema";
import type { Actor } from "../auth/permissions";
import { isAppError } from "../errors";
import type { EventSink } from "./events";
import { promote } from "./promote";

const system: Actor = { type: "system", label: "auto-promote" };

export interface AutoPromoteDecision {
  environment: string;
  action: "promoted" | "skipped";
  reason: string;
  deploymentId?: number;
}

type CompletedRun = Pick<typeof evalRuns.$inferSelect, "id" | "projectId" | "promptId" | "version" | "datasetId"> & {
  status: string;
  score: number | null;
};

export async function autoPromote(db: Db, run: CompletedRun, events: EventSink): Promise<AutoPromoteDecision[]> {
  if (run.status !== "completed" || run.score === null) return [];
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
  const decisions: AutoPromoteDecision[] = [];
  for (const env of envs) {
    const threshold = env.autoPromoteMinScore!;
    try {
      const d = await promote(
        { db, actor: system, projectId: run.projectId, events },
        prompt!.name,
        {
          environment: env.name,
          version: run.version,
          reason: `Auto-promote: evaluation run ${run.id} scored ${run.score.toFixed(3)} (threshold ${threshold})`,
        },
        {
          action: "auto_promote",
          // Checked under the lock with the plan: only this run, counting for the gate, may trigger it.
          refuse: (plan) => {
            const gate = plan.steps.find((s) => s.id === "evaluation")?.evaluation;
            if (plan.status === "live") return `version ${run.version} is already live in ${env.name}`;
            if (gate?.run !== run.id)
              return `run ${run.id} does not count for the gate of ${env.name} (other items, scorers or partials than the gate's)`;
            if (run.score! < threshold)
              return `run ${run.id} scored ${run.score!.toFixed(3)}, below the auto-promote threshold ${threshold}`;
            return null;
          },
        },
      );
      decisions.push({ environment: env.name, action: "promoted", reason: d.reason, deploymentId: d.id });
    } catch (e) {
      if (!isAppError(e)) throw e;
      decisions.push({ environment: env.name, action: "skipped", reason: `not promoted: ${e.message}` });
    }
  }
  return decisions;
}
