// Environments of a project and their protection and promotion rules.
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { readEach, type Db } from "../../db/client";
import { environments, prompts, versionLabels } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { AppError, isUniqueViolation, pgConstraint } from "../errors";
import { parseInput } from "../validation";
import type { DomainContext } from "../context";
import {
  autoPromoteInput,
  evaluationGateInput,
  evaluationGateOf,
  gateColumns,
  gateThresholds,
  rulesAfterGate,
} from "./gates/gate-config";
import { guardedRolloutColumn, guardedRolloutInput } from "./rollout-rule";

export {
  autoPromoteInput,
  evaluationGateInput,
  evaluationGateOf,
  gateModes,
  snapshotEnvironment,
  snapshotGate,
  type EvaluationGate,
  type GateMode,
} from "./gates/gate-config";

export type EnvironmentRow = typeof environments.$inferSelect;
export const PRODUCTION = "production";

export const environmentNameSchema = z
  .string({ error: "environment is required" })
  .regex(/^[a-z0-9][a-z0-9_-]{0,35}$/, { error: "environment must be 1–36 lowercase letters, digits, '-' or '_'" });

export async function listEnvironmentRows(db: Db, projectId: string): Promise<EnvironmentRow[]> {
  return db
    .select()
    .from(environments)
    .where(eq(environments.projectId, projectId))
    .orderBy(asc(environments.position), asc(environments.name));
}

export async function getEnvironmentRow(db: Db, projectId: string, name: string): Promise<EnvironmentRow> {
  const [row] = await db
    .select()
    .from(environments)
    .where(and(eq(environments.projectId, projectId), eq(environments.name, name)));
  if (!row) {
    const known = (await listEnvironmentRows(db, projectId)).map((e) => e.name);
    throw new AppError("not_found", `No environment named ${name}. This project has: ${known.join(", ")}.`, {
      field: "environment",
      environment: name,
      known,
    });
  }
  return row;
}

/**
 * Refuses a requiresLiveIn rule that would close a loop (production needs staging first, staging
 * needs production first): no version could ever be promoted into any environment of the loop.
 */
async function assertNoRuleCycle(db: Db, projectId: string, name: string, requiresLiveIn: string | null | undefined) {
  if (!requiresLiveIn) return;
  const rules = new Map((await listEnvironmentRows(db, projectId)).map((e) => [e.name, e.requiresLiveIn]));
  rules.set(name, requiresLiveIn);
  const chain = [name];
  for (let next = rules.get(name); next; next = rules.get(next)) {
    chain.push(next);
    if (next === name)
      throw new AppError(
        "invalid_input",
        `requiresLiveIn would make a loop (${chain.join(" → ")}): no version could ever be promoted into these environments.`,
        { field: "requiresLiveIn", chain },
      );
    if (chain.length > rules.size + 1) break;
  }
}

/** GET /api/v1/environments: every environment of the project, in order, with its rules. */
export async function listEnvironments(db: Db, projectId: string) {
  return { data: await readEach(db, await listEnvironmentRows(db, projectId), (e) => environmentDto(db, e)) };
}

/** GET /api/v1/environments/{name}. */
export async function getEnvironment(db: Db, projectId: string, name: string) {
  return environmentDto(db, await getEnvironmentRow(db, projectId, name));
}

/** The public shape of an environment and its rules (API, snapshots' source). */
export async function environmentDto(db: Db, env: EnvironmentRow) {
  const gate = await evaluationGateOf(db, env);
  return {
    name: env.name,
    position: env.position,
    protected: env.protected,
    requiresReview: env.requiresReview,
    requiresLiveIn: env.requiresLiveIn,
    evaluationGate: gate && {
      dataset: gate.datasetId,
      datasetName: gate.dataset,
      datasetVersion: gate.datasetVersion,
      ...gateThresholds(gate),
    },
    ...rulesAfterGate(env),
  };
}

/** An environment and its rules as the API answers it (environmentDto). */
export const environmentSchema = z.object({
  name: z.string(),
  position: z.number().int(),
  protected: z.boolean(),
  requiresReview: z.boolean(),
  requiresLiveIn: z.string().nullable(),
  evaluationGate: z
    .object({
      dataset: z.string(),
      datasetName: z.string(),
      datasetVersion: z.number().int().nullable(),
      minScore: z.number(),
      maxDrop: z.number(),
      scorers: z.array(z.unknown()),
      mode: z.enum(["threshold", "paired", "both"]),
    })
    .nullable(),
  autoPromote: z.object({ minScore: z.number() }).nullable(),
  requiresShadow: z.object({ minInputs: z.number().int() }).nullable(),
  guardedRollout: z.object({ steps: z.array(z.unknown()).nullish() }).nullable(),
});

/** GET /api/v1/environments: in promotion order. */
export const environmentListResponse = z.object({ data: z.array(environmentSchema) });
const _environment: (e: Awaited<ReturnType<typeof environmentDto>>) => z.input<typeof environmentSchema> = (e) => e;
void _environment;

/**
 * Releasing here needs the version's shadow comparison with the live version (online evaluation's shadow
 * candidates) over at least `minInputs` inputs, with no scorer significantly worse.
 */
export const requiresShadowInput = z.strictObject({
  minInputs: z
    .number({ error: "requiresShadow.minInputs must be a whole number" })
    .int({ error: "requiresShadow.minInputs must be a whole number" })
    .min(5, { error: "requiresShadow.minInputs must be at least 5 (fewer cannot show a difference)" })
    .max(100_000, { error: "requiresShadow.minInputs must be at most 100,000" }),
});

const shadowColumn = (r: z.output<typeof requiresShadowInput> | null | undefined) =>
  r === undefined ? {} : { shadowMinInputs: r?.minInputs ?? null };

export const environmentInput = z.object({
  name: environmentNameSchema,
  position: z.number().int().min(0).max(1000).optional(),
  protected: z.boolean().default(false),
  requiresReview: z.boolean().default(false),
  requiresLiveIn: environmentNameSchema.nullable().default(null),
  evaluationGate: evaluationGateInput.nullable().default(null),
  autoPromote: autoPromoteInput.nullable().default(null),
  requiresShadow: requiresShadowInput.nullable().default(null),
  guardedRollout: guardedRolloutInput.nullable().default(null),
});

/**
 * An environment cannot take the name of a version label of any prompt of the project: the label would
 * silently change meaning (from "this version" to "what this environment serves"). Refused, naming the
 * prompts, so the labels are removed or the environment named otherwise (docs/decisions/version-labels.md).
 */
async function assertNotVersionLabel(db: Db, projectId: string, name: string) {
  const rows = await db
    .select({ prompt: prompts.name })
    .from(versionLabels)
    .innerJoin(prompts, eq(prompts.id, versionLabels.promptId))
    .where(and(eq(versionLabels.projectId, projectId), eq(versionLabels.label, name)))
    .orderBy(prompts.name)
    .limit(20);
  if (rows.length)
    throw new AppError(
      "conflict",
      `"${name}" is a version label of ${rows.map((r) => r.prompt).join(", ")}: an environment cannot share its name. Remove those labels first (DELETE /api/v1/prompts/{name}/version-labels/${name}) or name the environment otherwise.`,
      { field: "name", versionLabel: name, prompts: rows.map((r) => r.prompt) },
    );
}

export async function createEnvironment(
  ctx: DomainContext,
  input: z.input<typeof environmentInput>,
): Promise<EnvironmentRow> {
  const data = parseInput(environmentInput, input);
  if (data.requiresLiveIn === data.name)
    throw new AppError("invalid_input", "requiresLiveIn cannot name the environment itself", {
      field: "requiresLiveIn",
    });
  if (data.requiresLiveIn) await getEnvironmentRow(ctx.db, ctx.projectId, data.requiresLiveIn);
  await assertNoRuleCycle(ctx.db, ctx.projectId, data.name, data.requiresLiveIn);
  await assertNotVersionLabel(ctx.db, ctx.projectId, data.name);
  const position = data.position ?? (await listEnvironmentRows(ctx.db, ctx.projectId)).length;
  try {
    const { evaluationGate, autoPromote, requiresShadow, guardedRollout, ...rules } = data;
    const gate = await gateColumns(ctx.db, ctx.projectId, evaluationGate, autoPromote, null);
    const [row] = await ctx.db
      .insert(environments)
      .values({
        ...rules,
        ...gate,
        ...shadowColumn(requiresShadow),
        ...guardedRolloutColumn(guardedRollout),
        position,
        projectId: ctx.projectId,
      })
      .returning();
    await recordAudit(ctx.db, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "environment.create",
      objectType: "environment",
      objectId: row!.id,
      after: data,
    });
    return row!;
  } catch (e) {
    if (isUniqueViolation(e))
      throw new AppError("conflict", `An environment named ${data.name} already exists.`, { field: "name" });
    // A version label of that name set meanwhile (the database's trigger decides): the same refusal, worded.
    if (pgConstraint(e) === "environments_not_version_label")
      await assertNotVersionLabel(ctx.db, ctx.projectId, data.name);
    throw e;
  }
}

export const environmentRulesInput = z.object({
  protected: z.boolean().optional(),
  requiresReview: z.boolean().optional(),
  requiresLiveIn: environmentNameSchema.nullable().optional(),
  evaluationGate: evaluationGateInput.nullable().optional(),
  autoPromote: autoPromoteInput.nullable().optional(),
  requiresShadow: requiresShadowInput.nullable().optional(),
  guardedRollout: guardedRolloutInput.nullable().optional(),
});

export async function updateEnvironment(
  ctx: DomainContext,
  name: string,
  input: z.input<typeof environmentRulesInput>,
): Promise<EnvironmentRow> {
  const data = parseInput(environmentRulesInput, input);
  const env = await getEnvironmentRow(ctx.db, ctx.projectId, name);
  if (data.requiresLiveIn) {
    if (data.requiresLiveIn === name)
      throw new AppError("invalid_input", "requiresLiveIn cannot name the environment itself", {
        field: "requiresLiveIn",
      });
    await getEnvironmentRow(ctx.db, ctx.projectId, data.requiresLiveIn);
    await assertNoRuleCycle(ctx.db, ctx.projectId, name, data.requiresLiveIn);
  }
  const { evaluationGate, autoPromote, requiresShadow, guardedRollout, ...rules } = data;
  const gate = await gateColumns(ctx.db, ctx.projectId, evaluationGate, autoPromote, env);
  const [row] = await ctx.db
    .update(environments)
    .set({ ...rules, ...gate, ...shadowColumn(requiresShadow), ...guardedRolloutColumn(guardedRollout) })
    .where(eq(environments.id, env.id))
    .returning();
  await recordAudit(ctx.db, {
    projectId: ctx.projectId,
    actor: ctx.actor,
    action: "environment.update",
    objectType: "environment",
    objectId: env.id,
    before: {
      protected: env.protected,
      requiresReview: env.requiresReview,
      requiresLiveIn: env.requiresLiveIn,
      gateDatasetId: env.gateDatasetId,
      gateDatasetVersion: env.gateDatasetVersion,
      gateScorers: env.gateScorers,
      gateMinScore: env.gateMinScore,
      gateMaxDrop: env.gateMaxDrop,
      autoPromoteMinScore: env.autoPromoteMinScore,
      shadowMinInputs: env.shadowMinInputs,
      guardedRollout: env.guardedRollout,
    },
    after: data,
  });
  return row!;
}
