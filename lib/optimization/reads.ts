// Reading optimizations: the answer of GET /api/v1/optimizations/{id} (its schema beside its builder), one
// optimization, a version's list.
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { drafts, optimizations, prompts } from "../../db/schema";
import { optimizationOutcomes } from "../../db/schema/optimizations";
import { AppError } from "../errors";
import { pairedContract } from "../stats/contracts";
import { isUuid } from "../validation";

export type OptimizationRow = typeof optimizations.$inferSelect;
export type OptimizationStatus = OptimizationRow["status"];

export const optimizationStatuses = [
  "queued",
  "running",
  "completed",
  "budget_exhausted",
  "failed",
  "cancelled",
] as const satisfies readonly OptimizationStatus[];

/** Statuses of an optimization that is over: nothing more is spent on it. */
export const finishedStatuses = ["completed", "budget_exhausted", "failed", "cancelled"] as const;
export const isFinished = (status: string) => (finishedStatuses as readonly string[]).includes(status);

const iso = z.iso.datetime({ offset: true });

/** The answer of POST /api/v1/optimizations: the queued optimization's id and status. */
export const createdOptimizationResponse = z.object({
  optimization: z.object({ id: z.string(), status: z.literal("queued") }),
});

/** An optimization created (createOptimization) as POST /api/v1/optimizations answers it. */
export const createdOptimizationDto = (row: { id: string; status: string }) => ({
  optimization: { id: row.id, status: row.status },
});

/** An optimization as GET /api/v1/optimizations/{id} answers it (optimizationDto in JSON). */
export const optimizationSchema = z.object({
  id: z.string(),
  status: z.enum(optimizationStatuses),
  /**
   * How a completed optimization ended: "improved" (the draft is significantly better than the starting
   * version on the held-out items) or "no_improvement" (no draft). null until it completes, and when it
   * stopped otherwise (budget_exhausted, failed, cancelled).
   */
  outcome: z.enum(optimizationOutcomes).nullable(),
  prompt: z.string(),
  version: z.number().int(),
  dataset: z.object({ id: z.string(), version: z.number().int() }),
  scorers: z.array(z.string()),
  environment: z.string(),
  /** The connection the version's answers go to, as started (null: the project's default). */
  connection: z.string().nullable(),
  /** That connection as people read it when it was started ("Built-in scripted model (no network, for the demo)"). */
  connectionName: z.string().nullable(),
  budget: z.object({ calls: z.number().int(), costUsd: z.number() }),
  calls: z.number().int(),
  costUsd: z.number(),
  /** Only with outcome "improved". */
  draft: z.object({ id: z.string(), name: z.string() }).optional(),
  /** The held-out comparison (lib/scorers/paired-runs.ts PairedRuns, with the verdict and both mean scores). */
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
  /** With outcome "no_improvement": why nothing better was found, in one sentence. */
  noImprovement: z.string().nullable(),
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
  /** Who cancelled it and why (status cancelled). */
  cancelled: z.object({ by: z.string(), reason: z.string().nullable() }).nullable(),
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
    outcome: row.outcome ?? null,
    prompt,
    version: row.version,
    dataset: { id: row.datasetId, version: row.datasetVersion },
    scorers: row.scorers.map((s) => s.name),
    environment: row.environment,
    connection: row.connection,
    connectionName: row.connectionName,
    budget: { calls: row.budgetCalls, costUsd: row.budgetCostUsd },
    calls: row.calls,
    costUsd: row.costUsd,
    ...(draft && row.outcome !== "no_improvement" && { draft }),
    ...(row.result?.comparison && { comparison: row.result.comparison }),
    noImprovement: row.outcome === "no_improvement" ? (row.result?.noImprovement ?? null) : null,
    split: row.result?.split ?? null,
    stage: row.result?.stage ?? null,
    method: row.result?.method ?? null,
    searchStoppedBy: row.result?.searchStoppedBy ?? null,
    budgetNotice: row.result?.budgetNotice ?? null,
    candidates: row.result?.candidates ?? [],
    best: row.result?.best ?? null,
    error: row.error,
    cancelled: row.status === "cancelled" ? { by: row.cancelledBy ?? "", reason: row.cancelReason } : null,
    createdBy: row.createdByLabel,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
export type OptimizationDto = ReturnType<typeof optimizationDto>;

const withDraft = (r: { row: OptimizationRow; prompt: string; draftName: string | null }) =>
  optimizationDto(r.row, r.prompt, r.row.draftId ? { id: r.row.draftId, name: r.draftName ?? "" } : null);

export async function getOptimization(db: Db, projectId: string, id: string): Promise<OptimizationDto> {
  if (!isUuid(id)) throw new AppError("not_found", `No optimization with id ${id}.`);
  const [r] = await db
    .select({ row: optimizations, prompt: prompts.name, draftName: drafts.name })
    .from(optimizations)
    .innerJoin(prompts, eq(prompts.id, optimizations.promptId))
    .leftJoin(drafts, eq(drafts.id, optimizations.draftId))
    .where(and(eq(optimizations.id, id), eq(optimizations.projectId, projectId)));
  if (!r) throw new AppError("not_found", `No optimization with id ${id}.`);
  return withDraft(r);
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
  return rows.map(withDraft);
}
