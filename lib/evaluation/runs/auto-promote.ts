// Auto-promote: an environment with an evaluation gate and `autoPromoteMinScore` receives a version as
// soon as a run of it on the gate's dataset (current version) completes with score ≥ that threshold.
// It promotes through lib/release's promote() like a person would — the gate, review and
// requiresLiveIn rules all apply, the deployment is audited as `auto_promote` and its reason names
// the run — and it never promotes a version that was rolled back automatically there.
import { and, eq, isNotNull } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { datasets, environments, prompts } from "../../../db/schema";
import type { Actor } from "../../auth/permissions";
import { isAppError } from "../../errors";
import { liveDeployment, promote } from "../../release/deployments";
import type { EventSink } from "../../release/events";
import { wasAutoRolledBack } from "../online/loop";
import type { EvalRunRow } from "./create";

const system: Actor = { type: "system", label: "auto-promote" };

export interface AutoPromoteDecision {
  environment: string;
  action: "promoted" | "skipped";
  reason: string;
  deploymentId?: number;
}

export async function autoPromote(db: Db, run: EvalRunRow, events?: EventSink): Promise<AutoPromoteDecision[]> {
  if (run.status !== "completed" || run.score === null) return [];
  const [ds] = await db
    .select({ currentVersion: datasets.currentVersion })
    .from(datasets)
    .where(eq(datasets.id, run.datasetId));
  if (!ds || ds.currentVersion !== run.datasetVersion) return [];
  const envs = await db
    .select()
    .from(environments)
    .where(
      and(
        eq(environments.projectId, run.projectId),
        eq(environments.gateDatasetId, run.datasetId),
        isNotNull(environments.autoPromoteMinScore),
      ),
    );
  const [prompt] = await db.select({ name: prompts.name }).from(prompts).where(eq(prompts.id, run.promptId));
  const decisions: AutoPromoteDecision[] = [];
  for (const env of envs) {
    const skip = (reason: string) => decisions.push({ environment: env.name, action: "skipped", reason });
    if (run.score < env.autoPromoteMinScore!) {
      skip(`run ${run.id} scored ${run.score.toFixed(3)}, below the auto-promote threshold ${env.autoPromoteMinScore}`);
      continue;
    }
    if (await wasAutoRolledBack(db, run.promptId, env.id, run.version)) {
      skip(`version ${run.version} was rolled back automatically in ${env.name}; only a person may promote it again`);
      continue;
    }
    const live = await liveDeployment(db, run.promptId, env.id);
    if (live?.version === run.version) {
      skip(`version ${run.version} is already live in ${env.name}`);
      continue;
    }
    try {
      const d = await promote(
        { db, actor: system, projectId: run.projectId, events },
        prompt!.name,
        {
          environment: env.name,
          version: run.version,
          reason: `Auto-promote: evaluation run ${run.id} scored ${run.score.toFixed(3)} (threshold ${env.autoPromoteMinScore})`,
        },
        { action: "auto_promote" },
      );
      decisions.push({ environment: env.name, action: "promoted", reason: d.reason, deploymentId: d.id });
    } catch (e) {
      if (!isAppError(e)) throw e;
      skip(`promotion refused: ${e.message}`);
    }
  }
  return decisions;
}
