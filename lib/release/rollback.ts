// Rollback: an environment goes back to a version it served before. Promotion rules are not checked
// again (that is what makes a rollback fast in an emergency), so the target must be a version this
// environment has served. The target is chosen inside the prompt's lock; the deployment, its audit
// row, the stop of a running experiment and whatever the caller writes with it (an automatic
// rollback's mark and alert) commit together. Rolling back to the version the environment serves
// already writes nothing and answers "already_live", as a promotion of it does (deploy()).
import type { DomainContext } from "../context";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { deployments } from "../../db/schema";
import { AppError } from "../errors";
import { versionNumber } from "../number-params";
import { getPrompt } from "../registry/prompts";
import { getVersion } from "../registry/versions";
import { parseInput } from "../validation";
import { deploy, previousLiveVersion, type BundleMark, type DeploymentRow, type DeployOutcome } from "./deployments";
import { environmentNameSchema, getEnvironmentRow } from "./environments";
import { experimentActionInput } from "./composing";
import { confirmRolledBackInput, reasonInput } from "./promote";
import { personConfirmed, rollbackOf } from "./plan/plan-rolled-back";

export const rollbackInput = z.object({
  environment: environmentNameSchema,
  version: versionNumber().optional(),
  reason: reasonInput,
  /**
   * A rollback to a version that was itself rolled back here (a rollback of a rollback) releases it again: a
   * person confirms it, as for a promotion; a job never does.
   */
  confirmRolledBack: confirmRolledBackInput,
  /** What happens to experiments running on prompts that include this one, whose arms it changes. */
  experimentAction: experimentActionInput,
});

/** Refuses (409 rolled_back) a rollback to a version rolled back here, unless a person confirmed it. */
export async function assertNotRolledBack(
  tx: Db,
  prompt: { id: string; name: string },
  env: { id: string; name: string },
  target: number,
  confirmed: boolean,
): Promise<void> {
  const fact = await rollbackOf(tx, prompt.id, env.id, target);
  if (!fact || confirmed) return;
  const by = fact.automatic ? "automatically" : fact.by ? `by ${fact.by}` : "";
  throw new AppError(
    "rolled_back",
    `Version ${target} of ${prompt.name} was rolled back in ${env.name} on ${fact.at.slice(0, 16).replace("T", " ")} UTC${by ? ` ${by}` : ""}${fact.reason ? ` (“${fact.reason}”)` : ""}: rolling back to it releases it again. A person confirms that (confirmRolledBack: true); automatic rollbacks never do.`,
    { rule: "rolledBack", field: "confirmRolledBack", environment: env.name, version: target, rolledBack: fact },
  );
}

/**
 * Rolls back to `version`, or to the version served before the live one. `expectLive` (automatic
 * rollbacks) makes it conditional: when the environment no longer serves that version — a person
 * acted, or another check already rolled back — it refuses with a conflict and changes nothing.
 * `also` writes in the same transaction (an automatic rollback's mark and alert).
 */
export async function rollbackPrompt(
  ctx: DomainContext,
  name: string,
  input: z.input<typeof rollbackInput>,
  opts: {
    action?: "rollback" | "auto_rollback";
    expectLive?: number;
    also?: (tx: Db, row: DeploymentRow) => Promise<void>;
    /** The bundle rollback this rollback is part of (recorded with the deployment). */
    partOf?: BundleMark;
  } = {},
): Promise<DeployOutcome> {
  const data = parseInput(rollbackInput, input);
  const prompt = await getPrompt(ctx.db, ctx.projectId, name);
  const env = await getEnvironmentRow(ctx.db, ctx.projectId, data.environment);
  if (data.version !== undefined) await getVersion(ctx.db, prompt, data.version);
  return deploy(
    ctx,
    prompt,
    env,
    async (tx, live) => {
      if (!live)
        throw new AppError(
          "conflict",
          `Nothing is live in ${env.name} for ${name}, so there is nothing to roll back.`,
          { environment: env.name },
        );
      if (opts.expectLive !== undefined && live.version !== opts.expectLive)
        throw new AppError(
          "conflict",
          `${name} in ${env.name} now serves version ${live.version}, not ${opts.expectLive}; nothing was rolled back.`,
          { environment: env.name, live: live.version, expected: opts.expectLive },
        );
      const target = data.version ?? (await previousLiveVersion(tx, prompt.id, env.id));
      if (target === undefined)
        throw new AppError(
          "conflict",
          `${name} has had only version ${live.version} live in ${env.name}; name a version to roll back to.`,
          { environment: env.name },
        );
      // deploy() answers "already_live" and writes nothing.
      if (target === live.version) return { version: target, reason: data.reason };
      const [served] = await tx
        .select({ id: deployments.id })
        .from(deployments)
        .where(
          and(
            eq(deployments.promptId, prompt.id),
            eq(deployments.environmentId, env.id),
            eq(deployments.version, target),
          ),
        )
        .limit(1);
      if (!served)
        throw new AppError(
          "conflict",
          `Version ${target} has never been live in ${env.name}; promote it instead (promotion rules apply).`,
          { field: "version", version: target, environment: env.name },
        );
      await assertNotRolledBack(tx, prompt, env, target, personConfirmed(ctx.actor, data.confirmRolledBack));
      return { version: target, reason: data.reason || `Roll back from version ${live.version}` };
    },
    opts.action ?? "rollback",
    data.reason,
    {
      also: opts.also,
      audit: opts.partOf && { bundle: opts.partOf },
      // An automatic rollback must go through (a regression is live): new phases, rollouts stopped.
      experimentAction: opts.action === "auto_rollback" ? "safety" : data.experimentAction,
    },
  );
}
