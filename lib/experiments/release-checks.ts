// An experiment splits what its environment serves: its control must be the version served there, and
// every other variant with traffic must satisfy the environment's release plan.
import type { DomainContext } from "../context";
import { eq } from "drizzle-orm";
import { readEach, type Db } from "../../db/client";
import { prompts } from "../../db/schema";
import { AppError } from "../errors";
import { getPrompt } from "../registry/prompts";
import { liveDeployment } from "../release/deployments";
import { getEnvironmentRow } from "../release/environments";
import { planFor } from "../release/plan/plan-facts";
import type { ReleasePlan } from "../release/plan/plan";
import { getExperiment, type Experiment } from "./store";

/**
 * Under the prompt's lock (the one deployments take): the control must be what the environment
 * serves, and every other variant with traffic must satisfy the environment's release plan.
 */
export async function assertArmsReleasable(
  ctx: DomainContext,
  e: Experiment,
  weights: Record<string, number>,
  confirm: { confirmBreaking: boolean | readonly string[]; confirmRolledBack: boolean },
) {
  const tx = ctx.db;
  const prompt = await getPrompt(tx, ctx.projectId, e.prompt);
  const env = await getEnvironmentRow(tx, ctx.projectId, e.environment);
  await tx.select({ id: prompts.id }).from(prompts).where(eq(prompts.id, prompt.id)).for("update");
  const live = await liveDeployment(tx, prompt.id, env.id);
  const control = e.variants[0]!;
  if (live?.version !== control.version)
    throw new AppError(
      "conflict",
      live
        ? `The control must be what ${e.environment} serves (version ${live.version}); this experiment's control "${control.key}" is version ${control.version}. An experiment splits what the environment serves: create it with version ${live.version} as the control.`
        : `Nothing of ${e.prompt} is live in ${e.environment}: promote the control (version ${control.version}) there first.`,
      { field: "variants", rule: "control", live: live?.version ?? null, control: control.version },
    );
  const refused: { variant: string; version: number; plan: ReleasePlan }[] = [];
  for (const v of e.variants.slice(1)) {
    if (!(weights[v.key]! > 0)) continue;
    // The live version was read above under the same lock: not read again.
    const plan = await planFor(
      tx,
      prompt,
      env,
      v.version,
      { purpose: "experiment", ...confirm },
      { live: live.version },
    );
    if (plan.status === "blocked") refused.push({ variant: v.key, version: v.version, plan });
  }
  if (refused.length)
    throw new AppError(
      // A rolled-back version is refused as such: what the caller must do is confirm it.
      refused.some((r) => r.plan.missing[0] === "rolled_back") ? "rolled_back" : "conflict",
      refused
        .map(
          (r) =>
            `Variant "${r.variant}" (version ${r.version}) cannot be served in ${e.environment}: ${
              r.plan.missing[0] === "rolled_back"
                ? `${r.plan.steps[0]!.detail} Confirm it to serve it in this experiment (confirmRolledBack: true).`
                : r.plan.summary
            }`,
        )
        .join(" "),
      {
        rule: "releasePlan",
        ...(refused.some((r) => r.plan.missing[0] === "rolled_back") ? { field: "confirmRolledBack" } : {}),
        variants: refused,
      },
    );
}

/**
 * What starting (or keeping) an experiment needs, before anyone clicks: whether its control is what
 * the environment serves, and each other variant's release plan there.
 */
export async function experimentReleasePlans(db: Db, projectId: string, id: string) {
  const e = await getExperiment(db, projectId, id);
  const prompt = await getPrompt(db, projectId, e.prompt);
  const env = await getEnvironmentRow(db, projectId, e.environment);
  const live = await liveDeployment(db, prompt.id, env.id);
  const control = e.variants[0]!;
  return {
    control: { key: control.key, version: control.version, live: live?.version ?? null },
    variants: await readEach(db, e.variants.slice(1), async (v) => ({
      key: v.key,
      version: v.version,
      plan: await planFor(db, prompt, env, v.version, { purpose: "experiment" }),
    })),
  };
}
