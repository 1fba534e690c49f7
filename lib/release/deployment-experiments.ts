// What a deployment does to experiments, audited in its transaction (deploy() calls these after the insert): the
// database trigger of migrations 0012, 0045 and 0048 stops the experiment running on the prompt there (and its
// bundle group) and applies the release's choice for experiments on prompts that include it (composing.ts).
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { recordAudit } from "../audit/record";
import type { DomainContext } from "../context";
import type { PromptRow } from "../registry/prompts";
import type { composingExperiments } from "./composing";
import type { DeploymentRow } from "./deployments";
import type { EnvironmentRow } from "./environments";

/** Audits the experiments the deployment's trigger stopped (experiment.stop, with the deployment as the reason). */
export async function auditStoppedExperiments(
  ctx: DomainContext,
  prompt: PromptRow,
  env: EnvironmentRow,
  row: DeploymentRow,
) {
  const tx = ctx.db;
  // The prompt's own, and the other members of a bundle's rollout it was part of (migration 0045).
  const stopped = await queryRows<{ id: string; prompt: string; control: number; decision: Record<string, unknown> }>(
    tx,
    sql`select e.id, p.name as prompt, e.decision,
          (select v.version from experiment_variants v where v.experiment_id = e.id order by v.position limit 1) as control
        from experiments e join prompts p on p.id = e.prompt_id
        where e.project_id = ${ctx.projectId} and e.environment_id = ${env.id} and e.status = 'stopped'
          and e.decision->>'stoppedBy' = 'deployment' and (e.decision->'deployment'->>'id')::bigint = ${row.id}`,
  );
  for (const e of stopped)
    await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "experiment.stop",
      objectType: "experiment",
      objectId: e.id,
      before: { status: "running" },
      after: { prompt: e.prompt, environment: env.name, decision: e.decision },
    });
  return stopped.filter((e) => e.prompt !== prompt.name).map((e) => ({ prompt: e.prompt, version: Number(e.control) }));
}

/** Audits the new phases the deployment opened on experiments whose arms it changed (experiment.phase). */
export async function auditNewPhases(
  ctx: DomainContext,
  env: EnvironmentRow,
  row: DeploymentRow,
  composing: Awaited<ReturnType<typeof composingExperiments>>,
) {
  const tx = ctx.db;
  const phased = (row.experimentEffects ?? []).filter((x) => x.action === "new_phase");
  const out: { prompt: string; version: number }[] = [];
  for (const effect of phased)
    for (const entry of effect.experiments) {
      const e = composing.find((c) => c.id === entry.id)!;
      const [now] = await queryRows<{ phase: number }>(tx, sql`select phase from experiments where id = ${e.id}`);
      await recordAudit(tx, {
        projectId: ctx.projectId,
        actor: ctx.actor,
        action: "experiment.phase",
        objectType: "experiment",
        objectId: e.id,
        before: { phase: (now?.phase ?? 1) - 1 },
        after: {
          prompt: e.prompt,
          environment: env.name,
          phase: now?.phase,
          reason: effect.reason,
          compositions: entry.compositions,
          deployment: row.id,
        },
      });
      out.push({ prompt: e.prompt, version: e.arms[0]?.version ?? 0 });
    }
  return out;
}
