// Starting an optimization, and reading one. createOptimization only validates, pins the dataset
// version and queues; the work is the `optimization` job (execute.ts).
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { drafts, optimizations, prompts } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { authorize } from "../auth/permissions";
import { AppError } from "../errors";
import { getDataset } from "../evaluation/datasets/datasets";
import { itemsAtVersion } from "../evaluation/datasets/item-reads";
import { defaultRunEnvironment } from "../evaluation/runs/environment";
import { assertProjectConnections, scorerConnections } from "../llm/connections";
import { actorUserId, type DomainContext } from "../registry/context";
import { getPrompt } from "../registry/prompts";
import { getVersion } from "../registry/versions";
import { getEnvironment, listEnvironments, PRODUCTION } from "../release/environments";
import { parseScorerSpecs, type NamedScorerSpec } from "../scorers";
import { unprocessable } from "../evaluation/unprocessable";
import { pairedContract } from "../stats/contracts";
import { callsPerItem, minimumCalls, parseCreateOptimizationInput, type CreateOptimizationInput } from "./input";
import { heldOutCount, MIN_PER_SIDE } from "./split";
import { isUuid } from "../validation";

export type OptimizationRow = typeof optimizations.$inferSelect;
/** Queues the job of an optimization (lib/server sends `optimization` {id}); absent in tests that run it directly. */
export type EnqueueOptimization = (id: string) => Promise<void>;

/** The gate's scorers for this dataset: the environment gated on it, else production's gate. */
async function gateScorers(db: Db, projectId: string, datasetId: string) {
  const envs = await listEnvironments(db, projectId);
  const env =
    envs.find((e) => e.gateDatasetId === datasetId) ?? envs.find((e) => e.name === PRODUCTION && e.gateScorers);
  return env?.gateScorers ?? null;
}

export async function createOptimization(
  ctx: DomainContext,
  input: CreateOptimizationInput,
  enqueue?: EnqueueOptimization,
): Promise<OptimizationRow> {
  authorize(ctx.actor, "evaluation.run");
  const data = parseCreateOptimizationInput(input);
  const prompt = await getPrompt(ctx.db, ctx.projectId, data.prompt);
  await getVersion(ctx.db, prompt, data.version);
  const ds = await getDataset(ctx.db, ctx.projectId, data.dataset);
  const environment = data.environment
    ? (await getEnvironment(ctx.db, ctx.projectId, data.environment)).name
    : await defaultRunEnvironment(ctx.db, ctx.projectId, ds.id);
  const given = data.scorers ?? (await gateScorers(ctx.db, ctx.projectId, ds.id));
  if (given === null)
    throw new AppError("unprocessable", "scorers: no gate scores this dataset; name the scorers to optimize for", {
      field: "scorers",
    });
  const scorers: NamedScorerSpec[] = unprocessable(parseScorerSpecs, given, "scorers");
  if (scorers.length === 0)
    throw new AppError("unprocessable", "scorers must name at least one scorer", { field: "scorers" });
  const perItem = callsPerItem(scorers);
  await assertProjectConnections(ctx.db, ctx.projectId, [
    { field: "connection", ref: data.connection },
    ...scorerConnections(scorers),
  ]);
  const items = ds.currentVersion === 0 ? 0 : (await itemsAtVersion(ctx.db, ds.id, ds.currentVersion)).length;
  if (items < 2 * MIN_PER_SIDE)
    throw new AppError(
      "unprocessable",
      `dataset: ${ds.name} has ${items} items; an optimization needs at least ${2 * MIN_PER_SIDE} (train and held-out)`,
      { field: "dataset" },
    );
  const heldOut = heldOutCount(items, data.heldOutShare);
  const least = minimumCalls(items - heldOut, heldOut, perItem);
  if (data.budget.calls < least)
    throw new AppError(
      "unprocessable",
      `a budget of ${data.budget.calls} calls cannot cover one round of the search and the held-out comparison (${heldOut} items × 2 versions × ${perItem} calls); give budget.calls at least ${least}`,
      { field: "budget.calls", minimum: least },
    );
  const row = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(optimizations)
      .values({
        projectId: ctx.projectId,
        promptId: prompt.id,
        version: data.version,
        datasetId: ds.id,
        datasetVersion: ds.currentVersion,
        scorers,
        connection: data.connection ?? null,
        environment,
        seed: data.seed,
        heldOutShare: data.heldOutShare,
        budgetCalls: data.budget.calls,
        budgetCostUsd: data.budget.costUsd,
        createdBy: actorUserId(ctx),
        createdByLabel: ctx.actor.label,
      })
      .returning();
    await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "optimization.create",
      objectType: "optimization",
      objectId: row!.id,
      after: { prompt: prompt.name, version: data.version, dataset: ds.name, budget: data.budget },
    });
    return row!;
  });
  await enqueue?.(row.id);
  return row;
}

const iso = z.iso.datetime({ offset: true });

/** The answer of POST /api/v1/optimizations: the queued optimization's id and status. */
export const createdOptimizationResponse = z.object({
  optimization: z.object({ id: z.string(), status: z.literal("queued") }),
});

/** An optimization as GET /api/v1/optimizations/{id} answers it (optimizationDto in JSON). */
export const optimizationSchema = z.object({
  id: z.string(),
  status: z.enum(["queued", "running", "completed", "budget_exhausted", "failed"]),
  prompt: z.string(),
  version: z.number().int(),
  dataset: z.object({ id: z.string(), version: z.number().int() }),
  scorers: z.array(z.string()),
  environment: z.string(),
  budget: z.object({ calls: z.number().int(), costUsd: z.number() }),
  calls: z.number().int(),
  costUsd: z.number(),
  draft: z.object({ id: z.string(), name: z.string() }).optional(),
  /** The held-out comparison (lib/scorers/paired.ts PairedRuns, with the verdict and both mean scores). */
  comparison: z
    .looseObject({
      items: z.number().int(),
      overall: pairedContract,
      scorers: z.array(pairedContract),
      verdict: z.string(),
      base: z.object({ version: z.number().int(), score: z.number().nullable() }),
      candidate: z.object({ score: z.number().nullable() }),
    })
    .optional(),
  split: z.object({ train: z.number().int(), heldOut: z.number().int(), seed: z.number().int() }).nullable(),
  stage: z.enum(["search", "held-out", "done"]).nullable(),
  method: z.string().nullable(),
  searchStoppedBy: z.enum(["optimizer", "budget"]).nullable(),
  budgetNotice: z.string().nullable(),
  candidates: z.array(
    z.object({
      index: z.number().int(),
      instruction: z.string(),
      trainScore: z.number().nullable(),
      trainItems: z.number().int(),
    }),
  ),
  best: z.object({ index: z.number().int(), trainScore: z.number().nullable(), examples: z.number().int() }).nullable(),
  error: z.string().nullable(),
  createdBy: z.string(),
  createdAt: iso,
  startedAt: iso.nullable(),
  finishedAt: iso.nullable(),
});

/** An optimization as the API and the UI show it. */
export function optimizationDto(row: OptimizationRow, prompt: string, draft: { id: string; name: string } | null) {
  return {
    id: row.id,
    status: row.status,
    prompt,
    version: row.version,
    dataset: { id: row.datasetId, version: row.datasetVersion },
    scorers: row.scorers.map((s) => s.name),
    environment: row.environment,
    budget: { calls: row.budgetCalls, costUsd: row.budgetCostUsd },
    calls: row.calls,
    costUsd: row.costUsd,
    ...(draft && { draft }),
    ...(row.result?.comparison && { comparison: row.result.comparison }),
    split: row.result?.split ?? null,
    stage: row.result?.stage ?? null,
    method: row.result?.method ?? null,
    searchStoppedBy: row.result?.searchStoppedBy ?? null,
    budgetNotice: row.result?.budgetNotice ?? null,
    candidates: row.result?.candidates ?? [],
    best: row.result?.best ?? null,
    error: row.error,
    createdBy: row.createdByLabel,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
export type OptimizationDto = ReturnType<typeof optimizationDto>;

export async function getOptimization(db: Db, projectId: string, id: string): Promise<OptimizationDto> {
  if (!isUuid(id)) throw new AppError("not_found", `No optimization with id ${id}.`);
  const [r] = await db
    .select({ row: optimizations, prompt: prompts.name, draftName: drafts.name })
    .from(optimizations)
    .innerJoin(prompts, eq(prompts.id, optimizations.promptId))
    .leftJoin(drafts, eq(drafts.id, optimizations.draftId))
    .where(and(eq(optimizations.id, id), eq(optimizations.projectId, projectId)));
  if (!r) throw new AppError("not_found", `No optimization with id ${id}.`);
  return optimizationDto(r.row, r.prompt, r.row.draftId ? { id: r.row.draftId, name: r.draftName ?? "" } : null);
}

/** A version's optimizations, newest first (the prompt page lists them). */
export async function listOptimizations(db: Db, projectId: string, promptId: string, limit = 20) {
  const rows = await db
    .select({ row: optimizations, prompt: prompts.name, draftName: drafts.name })
    .from(optimizations)
    .innerJoin(prompts, eq(prompts.id, optimizations.promptId))
    .leftJoin(drafts, eq(drafts.id, optimizations.draftId))
    .where(and(eq(optimizations.projectId, projectId), eq(optimizations.promptId, promptId)))
    .orderBy(desc(optimizations.createdAt))
    .limit(limit);
  return rows.map((r) =>
    optimizationDto(r.row, r.prompt, r.row.draftId ? { id: r.row.draftId, name: r.draftName ?? "" } : null),
  );
}
