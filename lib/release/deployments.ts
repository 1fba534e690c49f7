// The deployment log: what each environment serves, served, and the one write that moves it (CONTRIBUTING.md, "The
// database keeps the invariants"). Every move is a row in the append-only log, written under a lock on the prompt so
// concurrent promotes and rollbacks are recorded in order, and announced after commit so caches drop the old version.
// The operations that call deploy() are promote.ts, rollback.ts and the operations built on them (reviews, experiments,
// auto-promote, automatic rollback).
import { and, desc, eq, inArray, lt } from "drizzle-orm";
import type { Db } from "../../db/client";
import { deployments, environments, prompts, users } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { AppError, isAppError } from "../errors";
import { environmentGraph } from "../registry/live-versions";
import { assertDependentsCompose } from "./dependents";
import { withTx, actorUserId, type DomainContext } from "../context";
import { deletedVersions } from "../registry/deletions";
import type { Content } from "../registry/content";
import type { PromptRow } from "../registry/prompts";
import { getVersion, type VersionRow } from "../registry/versions";
import { composingEffects, composingExperiments, type ExperimentAction } from "./composing";
import { namesLeadingTo } from "./dependents";
import type { PlanReads } from "./plan/plan-facts";
import { auditNewPhases, auditStoppedExperiments } from "./deployment-experiments";
import { getEnvironmentRow, listEnvironmentRows, type EnvironmentRow } from "./environments";

export type DeploymentRow = typeof deployments.$inferSelect;
type Action = DeploymentRow["action"];

/** What every operation that changes what is served receives: the announcement sink is required. */

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

/** How a deployment's version is chosen, under the lock: fixed, or decided from what is live then (rollback). */
export type Target =
  number | ((tx: Db, live: DeploymentRow | undefined) => Promise<{ version: number; reason: string }>);

/** The bundle release a member's deployment belongs to (its webhook event says so). */
export type BundleMark = { name: string; release: number };

/**
 * What the operation adds to the deployment's audit row: an override a person confirmed (from the check),
 * the bundle release it is part of (from the caller).
 */
export type AuditExtra = { overrode?: { rule: "dependents"; prompts: string[] }; bundle?: BundleMark };

/**
 * What a promotion or rollback did: wrote a deployment, or found the environment already serving that
 * version and wrote nothing (no deployment, audit row or event); `deployment` is then the live one.
 * Every caller (REST, UI, Langfuse labels, reviews, experiments, bundles, auto-promote) gets the same answer.
 */
export type DeployOutcome =
  { status: "deployed"; deployment: DeploymentRow } | { status: "already_live"; deployment: DeploymentRow };

export interface DeployHooks {
  /**
   * Runs under the lock before anything is written, with the version chosen: the operation's rules. The plan it
   * checked travels with a later refusal (a running experiment's, below). `reads` is what deploy() read under the
   * lock (the live version, the names that include the prompt, the experiments the release changes): a plan takes
   * them as read (plan/plan-facts.ts) instead of reading them again.
   */
  check?: (
    tx: Db,
    version: number,
    live: DeploymentRow | undefined,
    reads: Required<PlanReads>,
  ) => Promise<void | { audit?: AuditExtra; plan?: unknown }>;
  /**
   * What happens to experiments running on prompts that include this one there, whose arms the release changes
   * (composing.ts): the person's choice, or "safety" (automatic rollbacks: new phases, rollouts stopped). Without
   * one, such a release is refused (409 experiment_running).
   */
  experimentAction?: ExperimentAction | "safety";
  /** Runs in the same transaction after the deployment and its audit row: what belongs with it. */
  also?: (tx: Db, row: DeploymentRow) => Promise<void>;
  /** What the caller adds to the audit row, whatever the check decides (the bundle release it is part of). */
  audit?: AuditExtra;
  /** The version as the caller read it already (promote): not read again when it is the one deployed (versions never change). */
  read?: VersionRow;
}

/**
 * Writes one deployment under a lock on the prompt. A target chosen from the live state (a rollback's),
 * whether the environment already serves it (then nothing is written: "already_live"), and the operation's
 * rules (`hooks.check`) are decided inside the lock, so two concurrent operations cannot both act on the
 * same "current" version, both write the same version, or pass a check the other invalidates. The graph the
 * environment would then serve is checked (partial cycles, depth, size) before anything is written.
 * The database stops an experiment running on the prompt there (migration 0012); its stop is audited
 * here, in the same transaction. Announced after commit.
 */
export async function deploy(
  ctx: DomainContext,
  prompt: PromptRow,
  env: EnvironmentRow,
  target: Target,
  action: Action,
  why: string,
  hooks: DeployHooks = {},
): Promise<DeployOutcome> {
  const done = await ctx.db.transaction(async (tx) => {
    await tx.select({ id: prompts.id }).from(prompts).where(eq(prompts.id, prompt.id)).for("update");
    const previous = await liveDeployment(tx, prompt.id, env.id);
    const chosen = typeof target === "number" ? { version: target, reason: why } : await target(tx, previous);
    const version = chosen.version;
    // A deleted version is never served again, whoever asks (the error's `archived: true` is its wire name).
    if ((await deletedVersions(tx, prompt.id)).has(version))
      throw new AppError("conflict", `Version ${version} of ${prompt.name} was deleted; it cannot be served.`, {
        field: "version",
        version,
        archived: true,
      });
    if (previous && previous.version === version) return { live: previous };
    const names = await namesLeadingTo(tx, ctx.projectId, prompt.name);
    const composing = await composingExperiments(tx, ctx.projectId, prompt.name, env, version, async () => names);
    const checked = await hooks.check?.(tx, version, previous, { live: previous?.version ?? null, names, composing });
    const content = (hooks.read?.version === version ? hooks.read : await getVersion(tx, prompt, version)).content;
    await assertServable(tx, ctx.projectId, prompt, env, version, content);
    const effects = composingEffects(
      composing,
      hooks.experimentAction,
      ctx.actor,
      { partial: prompt.name, version, environment: env.name, reason: chosen.reason },
      checked?.plan ? { plan: checked.plan } : {},
    );
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
        experimentEffects: effects.length ? effects : null,
      })
      .returning();
    const seq = await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: `deployment.${action}`,
      objectType: "prompt",
      objectId: prompt.id,
      before: previous ? { environment: env.name, version: previous.version } : null,
      after: { environment: env.name, version, reason: chosen.reason, ...hooks.audit, ...checked?.audit },
    });
    const others = await auditStoppedExperiments(withTx(ctx, tx), prompt, env, inserted!);
    others.push(...(await auditNewPhases(withTx(ctx, tx), env, inserted!, composing)));
    await hooks.also?.(tx, inserted!);
    return { row: inserted!, seq, others };
  });
  if (done.live) return { status: "already_live", deployment: done.live };
  const { row, seq, others } = done;
  await ctx.events.publish({
    projectId: ctx.projectId,
    prompt: prompt.name,
    environment: env.name,
    version: row.version,
    action,
    seq,
  });
  // Members of a bundle's rollout that this deployment stopped serve their live version again everywhere.
  for (const o of others)
    await ctx.events.publish({ ...o, projectId: ctx.projectId, environment: env.name, action: "experiment", seq });
  return { status: "deployed", deployment: row };
}

/** The graph the environment would serve with the version (partial cycles, depth, size; a skill's dependents compose). */
async function assertServable(
  tx: Db,
  projectId: string,
  prompt: PromptRow,
  env: EnvironmentRow,
  version: number,
  content: Content,
) {
  try {
    await environmentGraph(tx, projectId, { name: prompt.name, version, content }, env.name);
    if (content.type === "skill") await assertDependentsCompose(tx, projectId, prompt.name, env, version);
  } catch (e) {
    if (isAppError(e) && e.code === "unprocessable")
      throw new AppError(
        "unprocessable",
        `Version ${version} of ${prompt.name} cannot go live in ${env.name}: ${e.message}`,
        { ...e.details, environment: env.name, version },
      );
    throw e;
  }
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

export async function deploymentHistory(
  db: Db,
  projectId: string,
  prompt: PromptRow,
  opts: { environment?: string; limit?: number } = {},
) {
  const where = [eq(deployments.promptId, prompt.id)];
  if (opts.environment)
    where.push(eq(deployments.environmentId, (await getEnvironmentRow(db, projectId, opts.environment)).id));
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
  const envs = await listEnvironmentRows(db, projectId);
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
