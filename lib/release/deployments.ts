// The only code that moves what an environment serves (STYLE.md habit 6). Every move is a row in the
// append-only deployment log, written under a lock on the prompt so concurrent promotes and rollbacks
// are recorded in order, and announced after commit so caches drop the old version.
import { and, desc, eq, inArray, lt } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { deployments, environments, prompts, reviewRequests, users } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { authorize, deployAction } from "../auth/permissions";
import { AppError, isAppError } from "../errors";
import type { Content } from "../registry/content";
import { environmentGraph } from "../runtime/load";
import { parseInput } from "../validation";
import { actorUserId, type DomainContext } from "../registry/context";
import { getPrompt, type PromptRow } from "../registry/prompts";
import { getVersion } from "../registry/versions";
import { versionNumber } from "../registry/numbers";
import { assertGate } from "./gate";
import { environmentNameSchema, getEnvironment, listEnvironments, type EnvironmentRow } from "./environments";

export type DeploymentRow = typeof deployments.$inferSelect;
type Action = DeploymentRow["action"];

const reason = z.string().max(1000, { error: "reason must be at most 1000 characters" }).default("");

export const promoteInput = z.object({
  environment: environmentNameSchema,
  version: versionNumber(),
  reason,
});

export const rollbackInput = z.object({
  environment: environmentNameSchema,
  version: versionNumber().optional(),
  reason,
});

/** What an environment serves now: its newest deployment row, or undefined. */
export async function liveDeployment(
  db: Db,
  promptId: string,
  environmentId: string,
): Promise<DeploymentRow | undefined> {
  const [row] = await db
    .select()
    .from(deployments)
    .where(and(eq(deployments.promptId, promptId), eq(deployments.environmentId, environmentId)))
    .orderBy(desc(deployments.id))
    .limit(1);
  return row;
}

/**
 * The one rule for "live at an instant", used by /deployments?at= and /resolve?at= alike: rows are
 * stamped in microseconds, a Date has milliseconds, so `at` stands for its whole millisecond — a
 * deployment's own createdAt (as read back, truncated to the millisecond) finds that deployment.
 */
export const liveAtCutoff = (at: Date) => new Date(at.getTime() + 1);

/** What an environment served at an instant: the newest deployment within it. */
export async function liveAt(
  db: Db,
  promptId: string,
  environmentId: string,
  at: Date,
): Promise<DeploymentRow | undefined> {
  const [row] = await db
    .select()
    .from(deployments)
    .where(
      and(
        eq(deployments.promptId, promptId),
        eq(deployments.environmentId, environmentId),
        lt(deployments.createdAt, liveAtCutoff(at)),
      ),
    )
    .orderBy(desc(deployments.createdAt), desc(deployments.id))
    .limit(1);
  return row;
}

async function checkPromotionRules(db: Db, prompt: PromptRow, env: EnvironmentRow, version: number) {
  if (env.requiresReview) {
    const [approved] = await db
      .select({ id: reviewRequests.id })
      .from(reviewRequests)
      .where(
        and(
          eq(reviewRequests.promptId, prompt.id),
          eq(reviewRequests.version, version),
          eq(reviewRequests.environmentId, env.id),
          eq(reviewRequests.status, "approved"),
        ),
      )
      .limit(1);
    if (!approved)
      throw new AppError(
        "conflict",
        `${env.name} requires an approved review: request a review of version ${version} for ${env.name} first.`,
        { rule: "requiresReview", environment: env.name, version },
      );
  }
  if (env.requiresLiveIn) {
    const before = await db
      .select({ id: deployments.id })
      .from(deployments)
      .innerJoin(environments, eq(environments.id, deployments.environmentId))
      .where(
        and(
          eq(deployments.promptId, prompt.id),
          eq(deployments.version, version),
          eq(environments.name, env.requiresLiveIn),
        ),
      )
      .limit(1);
    if (!before.length)
      throw new AppError(
        "conflict",
        `${env.name} requires the version to have been live in ${env.requiresLiveIn} first: promote version ${version} to ${env.requiresLiveIn}.`,
        {
          rule: "requiresLiveIn",
          environment: env.name,
          requiredEnvironment: env.requiresLiveIn,
          version,
        },
      );
  }
  await assertGate(db, prompt.id, env, version);
}

/** How a deployment's version is chosen, under the lock: fixed, or decided from what is live then (rollback). */
type Target = number | ((tx: Db, live: DeploymentRow | undefined) => Promise<{ version: number; reason: string }>);

/**
 * Writes one deployment under a lock on the prompt; callers have already checked permissions and
 * rules. A target chosen from the live state (a rollback's) is chosen inside the lock, so two
 * concurrent rollbacks cannot both act on the same "current" version. The graph the environment
 * would then serve is checked (partial cycles, depth, size) before anything is written.
 */
export async function deploy(
  ctx: DomainContext,
  prompt: PromptRow,
  env: EnvironmentRow,
  target: Target,
  action: Action,
  why: string,
): Promise<DeploymentRow> {
  const { row, seq } = await ctx.db.transaction(async (tx) => {
    await tx.select({ id: prompts.id }).from(prompts).where(eq(prompts.id, prompt.id)).for("update");
    const previous = await liveDeployment(tx, prompt.id, env.id);
    const chosen = typeof target === "number" ? { version: target, reason: why } : await target(tx, previous);
    const version = chosen.version;
    const content = (await getVersion(tx, prompt, version)).content as Content;
    try {
      await environmentGraph(tx, ctx.projectId, { name: prompt.name, version, content }, env.name);
    } catch (e) {
      if (isAppError(e) && e.code === "unprocessable")
        throw new AppError(
          "unprocessable",
          `Version ${version} of ${prompt.name} cannot go live in ${env.name}: ${e.message}`,
          { ...e.details, environment: env.name, version },
        );
      throw e;
    }
    const [inserted] = await tx
      .insert(deployments)
      .values({
        promptId: prompt.id,
        environmentId: env.id,
        version,
        action,
        actorId: actorUserId(ctx),
        actorLabel: ctx.actor.label,
        reason: chosen.reason,
      })
      .returning();
    const seq = await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: `deployment.${action}`,
      objectType: "prompt",
      objectId: prompt.id,
      before: previous ? { environment: env.name, version: previous.version } : null,
      after: { environment: env.name, version, reason: chosen.reason },
    });
    return { row: inserted!, seq };
  });
  await ctx.events?.publish({
    projectId: ctx.projectId,
    prompt: prompt.name,
    environment: env.name,
    version: row.version,
    action,
    seq,
  });
  return row;
}

export async function promote(
  ctx: DomainContext,
  name: string,
  input: z.input<typeof promoteInput>,
  opts: { action?: "promote" | "auto_promote" } = {},
) {
  const data = parseInput(promoteInput, input);
  const prompt = await getPrompt(ctx.db, ctx.projectId, name);
  const env = await getEnvironment(ctx.db, ctx.projectId, data.environment);
  authorize(ctx.actor, deployAction(env));
  await getVersion(ctx.db, prompt, data.version);
  await checkPromotionRules(ctx.db, prompt, env, data.version);
  return deploy(ctx, prompt, env, data.version, opts.action ?? "promote", data.reason);
}

/** The version served before the current one in this environment (the default rollback target). */
export async function previousLiveVersion(
  db: Db,
  promptId: string,
  environmentId: string,
): Promise<number | undefined> {
  const rows = await db
    .select({ version: deployments.version })
    .from(deployments)
    .where(and(eq(deployments.promptId, promptId), eq(deployments.environmentId, environmentId)))
    .orderBy(desc(deployments.id))
    .limit(200);
  const current = rows[0]?.version;
  return rows.find((r) => r.version !== current)?.version;
}

/**
 * Rolls back to `version`, or to the version served before the live one. `expectLive` (automatic
 * rollbacks) makes it conditional: when the environment no longer serves that version — a person
 * acted, or another check already rolled back — it refuses with a conflict and changes nothing.
 */
export async function rollback(
  ctx: DomainContext,
  name: string,
  input: z.input<typeof rollbackInput>,
  opts: { action?: "rollback" | "auto_rollback"; expectLive?: number } = {},
) {
  const data = parseInput(rollbackInput, input);
  authorize(ctx.actor, "release.rollback");
  const prompt = await getPrompt(ctx.db, ctx.projectId, name);
  const env = await getEnvironment(ctx.db, ctx.projectId, data.environment);
  if (data.version !== undefined) await getVersion(ctx.db, prompt, data.version);
  // Everything that depends on what is live now is decided under the prompt's lock.
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
      if (target === live.version)
        throw new AppError("conflict", `Version ${target} is already live in ${env.name}.`, {
          field: "version",
          version: target,
        });
      // A rollback skips promotion rules, so it may only return to a version this environment has served.
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
      return { version: target, reason: data.reason || `Roll back from version ${live.version}` };
    },
    opts.action ?? "rollback",
    data.reason,
  );
}

export async function deploymentHistory(
  db: Db,
  projectId: string,
  prompt: PromptRow,
  opts: { environment?: string; limit?: number } = {},
) {
  const where = [eq(deployments.promptId, prompt.id)];
  if (opts.environment)
    where.push(eq(deployments.environmentId, (await getEnvironment(db, projectId, opts.environment)).id));
  return db
    .select({ deployment: deployments, environment: environments.name, actorName: users.name })
    .from(deployments)
    .innerJoin(environments, eq(environments.id, deployments.environmentId))
    .leftJoin(users, eq(users.id, deployments.actorId))
    .where(and(...where))
    .orderBy(desc(deployments.id))
    .limit(Math.min(opts.limit ?? 200, 2000));
}

/** What each environment serves now: environment name → deployment (absent when nothing is live). */
export async function liveVersions(db: Db, projectId: string, promptId: string) {
  return (await liveVersionsMany(db, projectId, [promptId])).get(promptId)!;
}

/** liveVersions for many prompts in two queries (the prompts list). */
export async function liveVersionsMany(db: Db, projectId: string, promptIds: string[]) {
  const envs = await listEnvironments(db, projectId);
  const rows = promptIds.length
    ? await db
        .selectDistinctOn([deployments.promptId, deployments.environmentId], {
          promptId: deployments.promptId,
          environmentId: deployments.environmentId,
          version: deployments.version,
          at: deployments.createdAt,
          action: deployments.action,
        })
        .from(deployments)
        .where(inArray(deployments.promptId, promptIds))
        .orderBy(deployments.promptId, deployments.environmentId, desc(deployments.id))
    : [];
  const byKey = new Map(rows.map((r) => [`${r.promptId}:${r.environmentId}`, r]));
  return new Map(
    promptIds.map((id) => [
      id,
      envs.map((e) => ({ environment: e.name, protected: e.protected, live: byKey.get(`${id}:${e.id}`) ?? null })),
    ]),
  );
}
