// Creating, reading, listing and cancelling evaluation runs. The work itself is the `eval-run` job
// (execute.ts); createRun only validates, pins the dataset version and queues.
import { assertProjectConnections, scorerConnections } from "../../llm/connections";
import { and, asc, count, desc, eq, getTableColumns, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { datasetItems, datasets, evalRunItems, evalRuns, projects, prompts } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { authorize } from "../../auth/permissions";
import { AppError } from "../../errors";
import { actorUserId, type DomainContext } from "../../registry/context";
import { getPrompt } from "../../registry/prompts";
import { getVersion } from "../../registry/versions";
import { parseInput as parseStrict } from "../../validation";
import { unprocessable } from "../unprocessable";
import { getDataset, isUuid } from "../datasets/datasets";
import { itemsAtVersion, resolveVersion } from "../datasets/item-reads";
import { getEnvironment, listEnvironments, PRODUCTION } from "../../release/environments";
import { defaultScorers, parseScorerSpecs, type NamedScorerSpec, type RunSummary } from "../../scorers";

export type EvalRunRow = typeof evalRuns.$inferSelect;

/** Queues the job of a run (lib/server sends `eval-run` {runId}); absent in tests that execute directly. */
export type EnqueueRun = (runId: string) => Promise<void>;

export const createRunInput = z.object({
  prompt: z.string({ error: "prompt is required" }).min(1, "prompt is required").max(255),
  version: z
    .number({ error: "version must be a number" })
    .int("version must be a whole number")
    .min(1, "version must be at least 1"),
  dataset: z
    .string({ error: "dataset is required (its id or name)" })
    .min(1, "dataset is required (its id or name)")
    .max(200)
    .optional(),
  datasetVersion: z.number({ error: "datasetVersion must be a number" }).int().min(1).optional(),
  scorers: z.unknown().optional(),
  repetitions: z
    .number({ error: "repetitions must be a number" })
    .int("repetitions must be a whole number")
    .min(1, "repetitions must be between 1 and 20")
    .max(20, "repetitions must be between 1 and 20")
    .default(1),
  concurrency: z
    .number({ error: "concurrency must be a number" })
    .int("concurrency must be a whole number")
    .min(1, "concurrency must be between 1 and 64")
    .max(64, "concurrency must be between 1 and 64")
    .default(4),
  connection: z.string().min(1).max(200).nullable().optional(),
  /**
   * The environment whose partials the version is rendered with (as it serves them). Default: the
   * environment gated on this dataset, else production, else the last environment in promotion order.
   */
  environment: z.string().min(1).max(36).optional(),
  /**
   * Run for an environment's evaluation gate: its dataset (at the gate's pinned version, else current),
   * its scorers and its environment, so the run counts for the gate. `dataset`, `datasetVersion` and
   * `scorers` must then be left out.
   */
  gate: z.string().min(1).max(36).optional(),
});

/** What a run for an environment's gate runs on: the gate's dataset, items, scorers and environment. */
async function gateRunInput(db: Db, projectId: string, data: z.output<typeof createRunInput>) {
  const env = await getEnvironment(db, projectId, data.gate!);
  if (!env.gateDatasetId)
    throw new AppError("unprocessable", `gate: ${env.name} has no evaluation gate`, { field: "gate" });
  for (const field of ["dataset", "datasetVersion", "scorers"] as const)
    if (data[field] !== undefined)
      throw new AppError("unprocessable", `${field}: a run for ${env.name}'s gate uses the gate's ${field}`, {
        field,
      });
  return {
    ...data,
    dataset: env.gateDatasetId,
    datasetVersion: env.gateDatasetVersion ?? undefined,
    scorers: env.gateScorers,
    environment: env.name,
  };
}

/** The environment a run renders partials for when none is named (see createRunInput.environment). */
async function defaultEnvironment(db: Db, projectId: string, datasetId: string): Promise<string> {
  const envs = await listEnvironments(db, projectId);
  return (
    envs.find((e) => e.gateDatasetId === datasetId)?.name ??
    envs.find((e) => e.name === PRODUCTION)?.name ??
    envs.at(-1)!.name
  );
}

/** How many runs a project may have queued or running at once (LECTERN_RUNS_ACTIVE_PER_PROJECT). */
export type RunLimits = { maxActivePerProject: number };

export async function createRun(
  ctx: DomainContext,
  input: z.input<typeof createRunInput>,
  enqueue?: EnqueueRun,
  limits?: RunLimits,
): Promise<EvalRunRow> {
  authorize(ctx.actor, "evaluation.run");
  const parsed = unprocessable(parseStrict, createRunInput, input);
  const data = parsed.gate ? await gateRunInput(ctx.db, ctx.projectId, parsed) : parsed;
  if (!data.dataset) throw new AppError("unprocessable", "dataset is required (its id or name)", { field: "dataset" });
  const prompt = await getPrompt(ctx.db, ctx.projectId, data.prompt);
  await getVersion(ctx.db, prompt, data.version);
  const ds = await getDataset(ctx.db, ctx.projectId, data.dataset);
  const environment = data.environment
    ? (await getEnvironment(ctx.db, ctx.projectId, data.environment)).name
    : await defaultEnvironment(ctx.db, ctx.projectId, ds.id);
  if (ds.currentVersion === 0)
    throw new AppError("unprocessable", `dataset ${ds.name} has no items yet; add items first`, { field: "dataset" });
  const datasetVersion = resolveVersion(ds, data.datasetVersion);
  const scorers: NamedScorerSpec[] = unprocessable(parseScorerSpecs, data.scorers ?? defaultScorers, "scorers");
  if (scorers.length === 0)
    throw new AppError("unprocessable", "scorers must name at least one scorer", { field: "scorers" });
  await assertProjectConnections(ctx.db, ctx.projectId, [
    { field: "connection", ref: data.connection },
    ...scorerConnections(scorers),
  ]);
  const items = (await itemsAtVersion(ctx.db, ds.id, datasetVersion)).length;
  if (items === 0)
    throw new AppError("unprocessable", `dataset ${ds.name} version ${datasetVersion} has no items`, {
      field: "datasetVersion",
    });
  // The limit is checked and the run written under a lock on the project, so a burst of requests
  // cannot all see room for one more (each would pass a check made without it).
  const run = await ctx.db.transaction(async (tx) => {
    await tx.select({ id: projects.id }).from(projects).where(eq(projects.id, ctx.projectId)).for("update");
    if (limits) {
      const [{ n }] = (await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(evalRuns)
        .where(and(eq(evalRuns.projectId, ctx.projectId), inArray(evalRuns.status, ["queued", "running"])))) as [
        { n: number },
      ];
      if (n >= limits.maxActivePerProject)
        throw new AppError(
          "rate_limited",
          `This project already has ${limits.maxActivePerProject} evaluation runs queued or running (LECTERN_RUNS_ACTIVE_PER_PROJECT); wait for one to finish or cancel one.`,
          { limit: limits.maxActivePerProject, retryAfterSeconds: 30 },
        );
    }
    const [run] = await tx
      .insert(evalRuns)
      .values({
        projectId: ctx.projectId,
        promptId: prompt.id,
        version: data.version,
        datasetId: ds.id,
        datasetVersion,
        scorers,
        repetitions: data.repetitions,
        concurrency: data.concurrency,
        connection: data.connection ?? null,
        environment,
        total: items * data.repetitions,
        createdBy: actorUserId(ctx),
        createdByLabel: ctx.actor.label,
      })
      .returning();
    await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "eval_run.create",
      objectType: "eval_run",
      objectId: run!.id,
      after: { prompt: prompt.name, version: data.version, dataset: ds.name, datasetVersion, environment },
    });
    return run!;
  });
  await enqueue?.(run.id);
  return run;
}

export async function findRun(db: Db, projectId: string, id: string): Promise<EvalRunRow> {
  if (!isUuid(id)) throw new AppError("not_found", `No evaluation run ${id}.`, { field: "id" });
  const [row] = await db
    .select()
    .from(evalRuns)
    .where(and(eq(evalRuns.projectId, projectId), eq(evalRuns.id, id)));
  if (!row) throw new AppError("not_found", `No evaluation run ${id}.`, { field: "id" });
  return row;
}

export interface RunDto {
  id: string;
  status: EvalRunRow["status"];
  prompt: string;
  version: number;
  dataset: { id: string; name: string; version: number };
  progress: { done: number; total: number };
  score: number | null;
  passRate: number | null;
  scores: Record<string, number | null>;
  summary: RunSummary | null;
  scorers: NamedScorerSpec[];
  repetitions: number;
  concurrency: number;
  connection: string | null;
  /** The environment whose partials the version was rendered with (null: before partials were rendered). */
  environment: string | null;
  costUsd: number;
  tokens: { input: number; output: number };
  error: string | null;
  cancelRequested: boolean;
  createdBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

async function toDtos(db: Db, rows: EvalRunRow[]): Promise<RunDto[]> {
  if (!rows.length) return [];
  const promptNames = new Map(
    (
      await db
        .select({ id: prompts.id, name: prompts.name })
        .from(prompts)
        .where(inArray(prompts.id, [...new Set(rows.map((r) => r.promptId))]))
    ).map((p) => [p.id, p.name]),
  );
  const dsNames = new Map(
    (
      await db
        .select({ id: datasets.id, name: datasets.name })
        .from(datasets)
        .where(inArray(datasets.id, [...new Set(rows.map((r) => r.datasetId))]))
    ).map((d) => [d.id, d.name]),
  );
  return rows.map((r) => {
    const summary = (r.summary as RunSummary | null) ?? null;
    return {
      id: r.id,
      status: r.status,
      prompt: promptNames.get(r.promptId) ?? r.promptId,
      version: r.version,
      dataset: { id: r.datasetId, name: dsNames.get(r.datasetId) ?? r.datasetId, version: r.datasetVersion },
      progress: { done: r.done, total: r.total },
      score: r.score,
      passRate: r.passRate,
      scores: Object.fromEntries(Object.entries(summary?.byScorer ?? {}).map(([k, s]) => [k, s.mean])),
      summary,
      scorers: r.scorers as NamedScorerSpec[],
      repetitions: r.repetitions,
      concurrency: r.concurrency,
      connection: r.connection,
      environment: r.environment,
      costUsd: r.costUsd,
      tokens: { input: r.inputTokens, output: r.outputTokens },
      error: r.error,
      cancelRequested: r.cancelRequested,
      createdBy: r.createdByLabel,
      createdAt: r.createdAt,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
    };
  });
}

export const runDto = async (db: Db, row: EvalRunRow) => (await toDtos(db, [row]))[0]!;

export async function getRun(db: Db, projectId: string, id: string): Promise<RunDto> {
  return runDto(db, await findRun(db, projectId, id));
}

export const listRunsInput = z.object({
  prompt: z.string().max(255).optional(),
  version: z.coerce.number().int().min(1).optional(),
  dataset: z.string().max(200).optional(),
  status: z.enum(["queued", "running", "completed", "failed", "cancelled"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export async function listRuns(
  db: Db,
  projectId: string,
  input: z.input<typeof listRunsInput> = {},
): Promise<RunDto[]> {
  const q = unprocessable(parseStrict, listRunsInput, input);
  const where: SQL[] = [eq(evalRuns.projectId, projectId)];
  if (q.prompt) where.push(eq(evalRuns.promptId, (await getPrompt(db, projectId, q.prompt)).id));
  if (q.version) where.push(eq(evalRuns.version, q.version));
  if (q.dataset) where.push(eq(evalRuns.datasetId, (await getDataset(db, projectId, q.dataset)).id));
  if (q.status) where.push(eq(evalRuns.status, q.status));
  const rows = await db
    .select()
    .from(evalRuns)
    .where(and(...where))
    .orderBy(desc(evalRuns.createdAt))
    .limit(q.limit)
    .offset(q.offset);
  return toDtos(db, rows);
}

/**
 * Cancels a run: a queued run is cancelled at once; a running one is flagged, and its job stops
 * between items and aborts the calls in flight (results already written stay). 409 when finished.
 */
export async function cancelRun(ctx: DomainContext, id: string): Promise<RunDto> {
  authorize(ctx.actor, "evaluation.run");
  const run = await findRun(ctx.db, ctx.projectId, id);
  const now = ctx.now?.() ?? new Date();
  const [queued] = await ctx.db
    .update(evalRuns)
    .set({ status: "cancelled", cancelRequested: true, finishedAt: now })
    .where(and(eq(evalRuns.id, run.id), eq(evalRuns.status, "queued")))
    .returning();
  if (!queued) {
    const [running] = await ctx.db
      .update(evalRuns)
      .set({ cancelRequested: true })
      .where(and(eq(evalRuns.id, run.id), eq(evalRuns.status, "running")))
      .returning();
    if (!running) throw new AppError("conflict", `Run ${run.id} is already ${run.status}.`, { status: run.status });
  }
  await recordAudit(ctx.db, {
    projectId: ctx.projectId,
    actor: ctx.actor,
    action: "eval_run.cancel",
    objectType: "eval_run",
    objectId: run.id,
  });
  return getRun(ctx.db, ctx.projectId, run.id);
}

export const listRunItemsInput = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  failed: z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean().optional()),
});

/**
 * A run's item results page by page, with each item's input, expected answer and tags. With
 * `previewChars`, outputs are cut to that many characters in the database (a page of 20 MB outputs
 * was 84 MB of HTML) and `outputLength` says how long each is; runItemOutput reads one whole.
 */
export async function listRunItems(
  db: Db,
  projectId: string,
  runId: string,
  input: z.input<typeof listRunItemsInput> = {},
  opts: { previewChars?: number } = {},
) {
  const q = unprocessable(parseStrict, listRunItemsInput, input);
  const run = await findRun(db, projectId, runId);
  const where = and(eq(evalRunItems.runId, run.id), q.failed ? eq(evalRunItems.passed, false) : undefined);
  const { output: _full, ...columns } = getTableColumns(evalRunItems);
  const output =
    opts.previewChars === undefined
      ? evalRunItems.output
      : sql<string | null>`left(${evalRunItems.output}, ${opts.previewChars})`;
  const [rows, [total]] = await Promise.all([
    db
      .select({
        r: { ...columns, output, outputLength: sql<number | null>`char_length(${evalRunItems.output})` },
        input: datasetItems.input,
        expected: datasetItems.expected,
        tags: datasetItems.tags,
      })
      .from(evalRunItems)
      .innerJoin(datasetItems, eq(datasetItems.id, evalRunItems.itemId))
      .where(where)
      .orderBy(asc(evalRunItems.position), asc(evalRunItems.repetition))
      .offset(q.offset)
      .limit(q.limit),
    db.select({ n: count() }).from(evalRunItems).where(where),
  ]);
  return {
    run: run.id,
    total: total!.n,
    offset: q.offset,
    limit: q.limit,
    items: rows.map(({ r, input: itemInput, expected, tags }) => ({
      itemId: r.itemId,
      repetition: r.repetition,
      input: itemInput as Record<string, unknown>,
      expected: expected ?? undefined,
      tags,
      output: r.output,
      outputLength: r.outputLength === null ? null : Number(r.outputLength),
      score: r.score,
      passed: r.passed,
      scores: r.scores,
      latencyMs: r.latencyMs,
      tokens: { input: r.inputTokens, output: r.outputTokens },
      costUsd: r.costUsd,
      error: r.error,
    })),
  };
}

/** One item's whole output (the run pages show a preview); not_found for another project's run. */
export async function runItemOutput(
  db: Db,
  projectId: string,
  runId: string,
  itemId: string,
  repetition: number,
): Promise<string> {
  const run = await findRun(db, projectId, runId);
  if (!isUuid(itemId) || !Number.isSafeInteger(repetition))
    throw new AppError("not_found", `No result for item ${itemId} in this run.`);
  const [row] = await db
    .select({ output: evalRunItems.output })
    .from(evalRunItems)
    .where(
      and(eq(evalRunItems.runId, run.id), eq(evalRunItems.itemId, itemId), eq(evalRunItems.repetition, repetition)),
    );
  if (!row) throw new AppError("not_found", `No result for item ${itemId} (repetition ${repetition}) in this run.`);
  return row.output ?? "";
}
