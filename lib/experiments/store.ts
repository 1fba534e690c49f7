// Experiments in the database: create (not started, with its planned sample), read, list. Starting,
// reweighting and stopping are in lifecycle.ts and stop.ts. Only lib/experiments writes these tables.
import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { readTogether, type Db } from "../../db/client";
import {
  environments,
  experimentPhases,
  experimentVariants,
  experiments,
  promptVersions,
  prompts,
} from "../../db/schema";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { actorUserId, withTx, type DomainContext } from "../context";
import { getPrompt } from "../registry/prompts";
import { notSplitBySubject } from "../registry/version-rows";
import { getEnvironmentRow } from "../release/environments";
import { createExperimentInput, plannedSample, type CreateExperimentInput } from "./definition";
import { assertNamespaceFree } from "./namespaces";
import { isUuid } from "../validation";
import { z } from "zod";

export type ExperimentRow = typeof experiments.$inferSelect;
export type VariantRow = typeof experimentVariants.$inferSelect;
export type PhaseRow = typeof experimentPhases.$inferSelect;
export type Experiment = ExperimentRow & {
  prompt: string;
  environment: string;
  variants: VariantRow[];
  phases: PhaseRow[];
};

/**
 * The status of an experiment not started yet: "draft" in the database's experiment_status and on the wire, a
 * word the code keeps for draft copies (docs/glossary.md).
 */
export const notStarted = "draft" satisfies ExperimentRow["status"];

/** Experiment inputs are checked like a form: every problem is a 422 naming its field, nothing written. */
export function parseExperimentInput(input: unknown) {
  const r = createExperimentInput.safeParse(input);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ field: i.path.map(String).join("."), message: i.message }));
  const first = issues[0]!;
  const message =
    first.field && !first.message.startsWith(first.field.split(".")[0]!)
      ? `${first.field}: ${first.message}`
      : first.message;
  throw new AppError("unprocessable", message, { field: first.field, issues });
}

type ExperimentDefinition = ReturnType<typeof parseExperimentInput>;

export async function createExperiment(ctx: DomainContext, input: CreateExperimentInput): Promise<Experiment> {
  const def = parseExperimentInput(input);
  const prompt = await getPrompt(ctx.db, ctx.projectId, def.prompt).catch((e: unknown) => {
    throw e instanceof AppError && e.code === "not_found"
      ? new AppError("unprocessable", e.message, { field: "prompt" })
      : e;
  });
  if (prompt.skillName !== null) throw notSplitBySubject(prompt.name);
  const env = await getEnvironmentRow(ctx.db, ctx.projectId, def.environment).catch((e: unknown) => {
    throw e instanceof AppError && e.code === "not_found"
      ? new AppError("unprocessable", e.message, { field: "environment" })
      : e;
  });
  await refuseMissingVersions(ctx, prompt.id, def);
  const planned = plannedSample(def);
  if (def.mode === "fixed" && planned === null)
    throw new AppError(
      "unprocessable",
      "baseline: a fixed-horizon test on a continuous metric needs baseline {mean, sd} to plan its sample size.",
      { field: "baseline" },
    );
  // Early word when another running experiment holds the share; checked again, under a lock, at the start.
  if (def.namespace) await assertNamespaceFree(ctx.db, ctx.projectId, def.namespace);
  const id = await ctx.db.transaction((tx) => insertExperiment(withTx(ctx, tx), def, prompt.id, env, planned));
  return getExperiment(ctx.db, ctx.projectId, id);
}

async function refuseMissingVersions(ctx: DomainContext, promptId: string, def: ExperimentDefinition) {
  const found = await ctx.db
    .select({ version: promptVersions.version })
    .from(promptVersions)
    .where(
      and(
        eq(promptVersions.promptId, promptId),
        inArray(
          promptVersions.version,
          def.variants.map((v) => v.version),
        ),
      ),
    );
  const missing = def.variants.filter((v) => !found.some((f) => f.version === v.version));
  if (missing.length)
    throw new AppError(
      "unprocessable",
      `variants: ${def.prompt} has no version ${missing.map((m) => m.version).join(", ")}.`,
      { field: "variants", missing: missing.map((m) => m.version) },
    );
}

/** The experiment's row, its variants and its audit row, in one transaction; returns its id. */
async function insertExperiment(
  ctx: DomainContext,
  def: ExperimentDefinition,
  promptId: string,
  env: { id: string; name: string },
  planned: number | null,
) {
  const tx = ctx.db;
  const [row] = await tx
    .insert(experiments)
    .values({
      projectId: ctx.projectId,
      promptId,
      environmentId: env.id,
      name: def.name,
      hypothesis: def.hypothesis,
      mode: def.mode,
      bandit: def.bandit ?? null,
      coverage: def.coverage,
      namespace: def.namespace?.name ?? null,
      namespaceStart: def.namespace?.range[0] ?? null,
      namespaceEnd: def.namespace?.range[1] ?? null,
      primaryMetric: def.primaryMetric,
      guardrails: def.guardrails,
      ratioMetrics: def.ratioMetrics,
      alpha: def.alpha,
      power: def.power,
      minDetectableEffect: def.minDetectableEffect,
      baseline: def.baseline ?? null,
      plannedSamplePerArm: planned,
      cupedLookbackDays: def.cupedLookbackDays,
      seed: def.seed ?? randomBytes(8).toString("hex"),
      createdBy: actorUserId(ctx),
    })
    .returning({ id: experiments.id });
  await tx.insert(experimentVariants).values(
    def.variants.map((v, position) => ({
      experimentId: row!.id,
      key: v.key,
      version: v.version,
      weight: v.weight,
      position,
    })),
  );
  await recordAudit(tx, {
    projectId: ctx.projectId,
    actor: ctx.actor,
    action: "experiment.create",
    objectType: "experiment",
    objectId: row!.id,
    after: {
      name: def.name,
      prompt: def.prompt,
      environment: env.name,
      mode: def.mode,
      plannedSamplePerArm: planned,
    },
  });
  return row!.id;
}

export async function getExperiment(db: Db, projectId: string, id: string): Promise<Experiment> {
  if (!isUuid(id)) throw new AppError("not_found", `No experiment with id ${id}.`);
  const [row] = await db
    .select({ e: experiments, prompt: prompts.name, environment: environments.name })
    .from(experiments)
    .innerJoin(prompts, eq(prompts.id, experiments.promptId))
    .innerJoin(environments, eq(environments.id, experiments.environmentId))
    .where(and(eq(experiments.id, id), eq(experiments.projectId, projectId)));
  if (!row) throw new AppError("not_found", `No experiment with id ${id}.`);
  const [variants, phases] = await readTogether(db, [
    () =>
      db
        .select()
        .from(experimentVariants)
        .where(eq(experimentVariants.experimentId, id))
        .orderBy(asc(experimentVariants.position)),
    () =>
      db
        .select()
        .from(experimentPhases)
        .where(eq(experimentPhases.experimentId, id))
        .orderBy(asc(experimentPhases.phase)),
  ]);
  return { ...row.e, prompt: row.prompt, environment: row.environment, variants, phases };
}

/**
 * The project's experiments, newest first (at most 500). Never a guarded rollout: it is an experiment row of kind
 * `rollout` only to split traffic, and is listed, read and moved as a rollout (rollouts/rollout-reads.ts, rollouts/rollout-control.ts).
 */
export async function listExperiments(
  db: Db,
  projectId: string,
  opts: { prompt?: string; status?: ExperimentRow["status"] } = {},
) {
  const where: SQL[] = [eq(experiments.projectId, projectId), eq(experiments.kind, "experiment")];
  if (opts.prompt) where.push(eq(prompts.name, opts.prompt));
  if (opts.status) where.push(eq(experiments.status, opts.status));
  const rows = await db
    .select({ e: experiments, prompt: prompts.name, environment: environments.name })
    .from(experiments)
    .innerJoin(prompts, eq(prompts.id, experiments.promptId))
    .innerJoin(environments, eq(environments.id, experiments.environmentId))
    .where(and(...where))
    .orderBy(desc(experiments.createdAt))
    .limit(500);
  const variants = await variantsOf(
    db,
    rows.map((r) => r.e.id),
  );
  return rows.map((r) => ({
    ...r.e,
    prompt: r.prompt,
    environment: r.environment,
    variants: variants.filter((v) => v.experimentId === r.e.id),
    phases: [] as PhaseRow[],
  }));
}

/** The weights of the current phase (the planned split before the first start). */
export function currentWeights(e: Experiment): Record<string, number> {
  const phase = e.phases.find((p) => p.phase === e.phase);
  return phase ? phase.weights : Object.fromEntries(e.variants.map((v) => [v.key, v.weight]));
}

/** GET /api/v1/experiments: the filters of listExperiments. */
export const listExperimentsQuery = z.object({
  prompt: z.string().max(255).optional().describe("Only experiments on this prompt"),
  status: z
    .enum(["draft", "running", "stopped"], { error: "status must be draft, running or stopped" })
    .optional()
    .describe("Only experiments in this state"),
});

/** Every experiment of a bundle's group, or every rollout of a bundle rollout (any status), in one order. */
export async function groupOf(db: Db, projectId: string, group: string): Promise<Experiment[]> {
  const rows = await db
    .select({ id: experiments.id })
    .from(experiments)
    .where(and(eq(experiments.projectId, projectId), sql`${experiments.bundle}->>'group' = ${group}`))
    .orderBy(asc(experiments.id));
  const out: Experiment[] = [];
  for (const r of rows) out.push(await getExperiment(db, projectId, r.id));
  return out;
}

/** The variants of the experiments `ids`, in their order (none for no ids). */
export async function variantsOf(db: Db, ids: string[]): Promise<VariantRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(experimentVariants)
    .where(inArray(experimentVariants.experimentId, ids))
    .orderBy(asc(experimentVariants.position));
}
