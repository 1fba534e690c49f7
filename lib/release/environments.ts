// Environments of a project and their protection and promotion rules.
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { datasets, environments } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { authorize } from "../auth/permissions";
import { AppError, isUniqueViolation } from "../errors";
import { parseInput } from "../validation";
import type { DomainContext } from "../registry/context";
import { assertProjectConnections, scorerConnections } from "../llm/connections";
import { normalizeGateScorers } from "../scorers/gate";

export type EnvironmentRow = typeof environments.$inferSelect;
export const PRODUCTION = "production";

export const environmentNameSchema = z
  .string({ error: "environment is required" })
  .regex(/^[a-z0-9][a-z0-9_-]{0,35}$/, { error: "environment must be 1–36 lowercase letters, digits, '-' or '_'" });

export async function listEnvironments(db: Db, projectId: string): Promise<EnvironmentRow[]> {
  return db
    .select()
    .from(environments)
    .where(eq(environments.projectId, projectId))
    .orderBy(asc(environments.position), asc(environments.name));
}

export async function getEnvironment(db: Db, projectId: string, name: string): Promise<EnvironmentRow> {
  const [row] = await db
    .select()
    .from(environments)
    .where(and(eq(environments.projectId, projectId), eq(environments.name, name)));
  if (!row) {
    const known = (await listEnvironments(db, projectId)).map((e) => e.name);
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
  const rules = new Map((await listEnvironments(db, projectId)).map((e) => [e.name, e.requiresLiveIn]));
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

const unit = (field: string) =>
  z
    .number({ error: `${field} must be a number` })
    .min(0, `${field} must be between 0 and 1`)
    .max(1, `${field} must be between 0 and 1`);

/**
 * `dataset` is the dataset's id or name (in this project); `datasetVersion` pins the gate to one
 * version of its items (default: the dataset's current items at each check); `scorers` are the gate's
 * own scorer specs, the only ones whose runs count (default: a run's default scorer, a non-empty output).
 * On an update, omitted `datasetVersion` and `scorers` keep the stored ones when the dataset is unchanged.
 */
export const evaluationGateInput = z.strictObject({
  dataset: z
    .string({ error: "evaluationGate.dataset must be a dataset id or name" })
    .min(1, "evaluationGate.dataset must be a dataset id or name")
    .max(200),
  datasetVersion: z
    .number({ error: "evaluationGate.datasetVersion must be a number" })
    .int({ error: "evaluationGate.datasetVersion must be a whole number" })
    .min(1, { error: "evaluationGate.datasetVersion must be at least 1" })
    .nullable()
    .optional(),
  minScore: unit("evaluationGate.minScore"),
  maxDrop: unit("evaluationGate.maxDrop").default(1),
  scorers: z.unknown().optional(),
});
/** Promote automatically when a completed run on the environment's gate dataset scores at least minScore. */
export const autoPromoteInput = z.strictObject({ minScore: unit("autoPromote.minScore") });

export interface EvaluationGate {
  datasetId: string;
  dataset: string;
  /** Pinned dataset version, or null: the dataset's current items. */
  datasetVersion: number | null;
  minScore: number;
  maxDrop: number;
  scorers: unknown[];
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function resolveGateDataset(db: Db, projectId: string, ref: string) {
  const [row] = await db
    .select({ id: datasets.id, name: datasets.name, currentVersion: datasets.currentVersion })
    .from(datasets)
    .where(
      and(eq(datasets.projectId, projectId), uuidPattern.test(ref) ? eq(datasets.id, ref) : eq(datasets.name, ref)),
    );
  if (!row)
    throw new AppError("invalid_input", `evaluationGate.dataset: no dataset ${ref} in this project`, {
      field: "evaluationGate.dataset",
    });
  return row;
}

type GateColumns = Pick<
  EnvironmentRow,
  "gateDatasetId" | "gateDatasetVersion" | "gateMinScore" | "gateMaxDrop" | "gateScorers" | "autoPromoteMinScore"
>;

/** The gate and auto-promote inputs as environment columns (undefined: leave unchanged). */
async function gateColumns(
  db: Db,
  projectId: string,
  gate: z.infer<typeof evaluationGateInput> | null | undefined,
  autoPromote: z.infer<typeof autoPromoteInput> | null | undefined,
  current: GateColumns | null,
): Promise<Partial<GateColumns>> {
  const out: Partial<GateColumns> = {};
  if (gate === null)
    Object.assign(out, {
      gateDatasetId: null,
      gateDatasetVersion: null,
      gateMinScore: null,
      gateMaxDrop: null,
      gateScorers: null,
      autoPromoteMinScore: null,
    });
  else if (gate) {
    const ds = await resolveGateDataset(db, projectId, gate.dataset);
    // Omitted scorers or datasetVersion keep the stored ones while the dataset stays the same: a form or
    // a PATCH that only moves minScore must not reset the scorers, which would void every run that
    // counted for the gate. An explicit null unpins (datasetVersion) or restores the default (scorers).
    const kept = current?.gateDatasetId === ds.id ? current : null;
    const pinned = gate.datasetVersion !== undefined ? gate.datasetVersion : (kept?.gateDatasetVersion ?? null);
    if (pinned !== null && pinned > ds.currentVersion)
      throw new AppError(
        "invalid_input",
        `evaluationGate.datasetVersion: dataset ${ds.name} has no version ${pinned} (its current version is ${ds.currentVersion})`,
        { field: "evaluationGate.datasetVersion" },
      );
    const scorers =
      gate.scorers === undefined && kept?.gateScorers ? kept.gateScorers : normalizeGateScorers(gate.scorers);
    // A judge runs on the connection it names: only this project's (another's key must not pay, or answer).
    await assertProjectConnections(db, projectId, scorerConnections(scorers as object[], "evaluationGate.scorers"));
    Object.assign(out, {
      gateDatasetId: ds.id,
      gateDatasetVersion: pinned,
      gateMinScore: gate.minScore,
      gateMaxDrop: gate.maxDrop,
      gateScorers: scorers,
    });
  }
  if (autoPromote === null) out.autoPromoteMinScore = null;
  else if (autoPromote) {
    const gated = out.gateDatasetId !== undefined ? out.gateDatasetId : current?.gateDatasetId;
    if (!gated)
      throw new AppError("invalid_input", "autoPromote needs an evaluationGate: set the gate's dataset first", {
        field: "autoPromote",
      });
    out.autoPromoteMinScore = autoPromote.minScore;
  }
  return out;
}

/** An environment's evaluation gate with its dataset's name, or null. */
export async function evaluationGateOf(db: Db, env: EnvironmentRow): Promise<EvaluationGate | null> {
  if (!env.gateDatasetId || env.gateMinScore === null || env.gateMaxDrop === null) return null;
  const [ds] = await db.select({ name: datasets.name }).from(datasets).where(eq(datasets.id, env.gateDatasetId));
  return {
    datasetId: env.gateDatasetId,
    dataset: ds?.name ?? env.gateDatasetId,
    datasetVersion: env.gateDatasetVersion,
    minScore: env.gateMinScore,
    maxDrop: env.gateMaxDrop,
    scorers: (env.gateScorers as unknown[] | null) ?? [],
  };
}

/** The gate and auto-promote rule as a snapshot carries them (the dataset by name). */
export async function snapshotGate(db: Db, env: EnvironmentRow) {
  const gate = await evaluationGateOf(db, env);
  return {
    evaluationGate: gate && {
      dataset: gate.dataset,
      minScore: gate.minScore,
      maxDrop: gate.maxDrop,
      scorers: gate.scorers,
    },
    autoPromote: env.autoPromoteMinScore === null ? null : { minScore: env.autoPromoteMinScore },
  };
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
      minScore: gate.minScore,
      maxDrop: gate.maxDrop,
      scorers: gate.scorers,
    },
    autoPromote: env.autoPromoteMinScore === null ? null : { minScore: env.autoPromoteMinScore },
  };
}

export const environmentInput = z.object({
  name: environmentNameSchema,
  position: z.number().int().min(0).max(1000).optional(),
  protected: z.boolean().default(false),
  requiresReview: z.boolean().default(false),
  requiresLiveIn: environmentNameSchema.nullable().default(null),
  evaluationGate: evaluationGateInput.nullable().default(null),
  autoPromote: autoPromoteInput.nullable().default(null),
});

export async function createEnvironment(
  ctx: DomainContext,
  input: z.input<typeof environmentInput>,
): Promise<EnvironmentRow> {
  authorize(ctx.actor, "settings.manage");
  const data = parseInput(environmentInput, input);
  if (data.requiresLiveIn === data.name)
    throw new AppError("invalid_input", "requiresLiveIn cannot name the environment itself", {
      field: "requiresLiveIn",
    });
  if (data.requiresLiveIn) await getEnvironment(ctx.db, ctx.projectId, data.requiresLiveIn);
  await assertNoRuleCycle(ctx.db, ctx.projectId, data.name, data.requiresLiveIn);
  const position = data.position ?? (await listEnvironments(ctx.db, ctx.projectId)).length;
  try {
    const { evaluationGate, autoPromote, ...rules } = data;
    const gate = await gateColumns(ctx.db, ctx.projectId, evaluationGate, autoPromote, null);
    const [row] = await ctx.db
      .insert(environments)
      .values({ ...rules, ...gate, position, projectId: ctx.projectId })
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
    throw e;
  }
}

export const environmentRulesInput = z.object({
  protected: z.boolean().optional(),
  requiresReview: z.boolean().optional(),
  requiresLiveIn: environmentNameSchema.nullable().optional(),
  evaluationGate: evaluationGateInput.nullable().optional(),
  autoPromote: autoPromoteInput.nullable().optional(),
});

export async function updateEnvironmentRules(
  ctx: DomainContext,
  name: string,
  input: z.input<typeof environmentRulesInput>,
): Promise<EnvironmentRow> {
  authorize(ctx.actor, "settings.manage");
  const data = parseInput(environmentRulesInput, input);
  const env = await getEnvironment(ctx.db, ctx.projectId, name);
  if (data.requiresLiveIn) {
    if (data.requiresLiveIn === name)
      throw new AppError("invalid_input", "requiresLiveIn cannot name the environment itself", {
        field: "requiresLiveIn",
      });
    await getEnvironment(ctx.db, ctx.projectId, data.requiresLiveIn);
    await assertNoRuleCycle(ctx.db, ctx.projectId, name, data.requiresLiveIn);
  }
  const { evaluationGate, autoPromote, ...rules } = data;
  const gate = await gateColumns(ctx.db, ctx.projectId, evaluationGate, autoPromote, env);
  const [row] = await ctx.db
    .update(environments)
    .set({ ...rules, ...gate })
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
    },
    after: data,
  });
  return row!;
}
