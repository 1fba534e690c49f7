// Reading evaluation runs: one run, a page of runs, a run's items and one item's whole output, as the
// API and pages show them (RunDto).
import { and, asc, count, desc, eq, getTableColumns, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { readTogether, type Db } from "../../../db/client";
import { datasetItems, datasets, evalRunItems, evalRuns, prompts } from "../../../db/schema";
import { AppError } from "../../errors";
import { getPrompt } from "../../registry/prompts";
import { parseInput as parseStrict } from "../../validation";
import { unprocessable } from "../unprocessable";
import { isUuid } from "../../validation";
import { getDatasetRow } from "../datasets/datasets";
import { itemSpreads, type ItemSpread, type NamedScorerSpec, type RunStatistics, type RunSummary } from "../../scorers";
import type { EvalRunRow } from "./create";

export async function getRunRow(db: Db, projectId: string, id: string): Promise<EvalRunRow> {
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
  /** The score's interval over items, pass@k and pass^k; null for runs finished before they were kept. */
  statistics: RunStatistics | null;
  scorers: NamedScorerSpec[];
  /** The run a pairwise judge compared this run's outputs with (null: none). */
  baseline: string | null;
  repetitions: number;
  concurrency: number;
  connection: string | null;
  /** The connection the run started on, as people read it; null for runs recorded before it was kept. */
  connectionName: string | null;
  /** The environment whose partials the version was rendered with (null: before partials were rendered). */
  environment: string | null;
  /** Partials rendered at these versions instead of the environment's (a partial's candidate), or null. */
  partialVersions: Record<string, number> | null;
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
  // The name in `table` (prompts or datasets) of the id `of` picks from each row.
  const namesOf = async (table: typeof prompts | typeof datasets, of: (r: EvalRunRow) => string) =>
    new Map(
      (
        await db
          .select({ id: table.id, name: table.name })
          .from(table)
          .where(inArray(table.id, [...new Set(rows.map(of))]))
      ).map((p) => [p.id, p.name]),
    );
  const promptNames = await namesOf(prompts, (r) => r.promptId);
  const dsNames = await namesOf(datasets, (r) => r.datasetId);
  return rows.map((r) => {
    const summary = r.summary ?? null;
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
      statistics: summary?.statistics ?? null,
      scorers: r.scorers,
      baseline: r.baselineRunId,
      repetitions: r.repetitions,
      concurrency: r.concurrency,
      connection: r.connection,
      connectionName: r.connectionName,
      environment: r.environment,
      partialVersions: r.partialVersions ?? null,
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

export async function getEvalRun(db: Db, projectId: string, id: string): Promise<RunDto> {
  return runDto(db, await getRunRow(db, projectId, id));
}

export const listRunsInput = z.object({
  prompt: z.string().max(255).optional().describe("Only runs of this prompt"),
  version: z.coerce.number().int().min(1).optional().describe("Only runs of this version of the prompt"),
  dataset: z.string().max(200).optional().describe("Only runs on this dataset (its id or name)"),
  status: z
    .enum(["queued", "running", "completed", "unscored", "failed", "cancelled"])
    .optional()
    .describe("Only runs in this state"),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe("How many runs, newest first (1–200)"),
  offset: z.coerce.number().int().min(0).default(0).describe("Runs to skip"),
});

export async function listEvalRuns(
  db: Db,
  projectId: string,
  input: z.input<typeof listRunsInput> = {},
): Promise<RunDto[]> {
  const q = unprocessable(parseStrict, listRunsInput, input);
  const where: SQL[] = [eq(evalRuns.projectId, projectId)];
  if (q.prompt) where.push(eq(evalRuns.promptId, (await getPrompt(db, projectId, q.prompt)).id));
  if (q.version) where.push(eq(evalRuns.version, q.version));
  if (q.dataset) where.push(eq(evalRuns.datasetId, (await getDatasetRow(db, projectId, q.dataset)).id));
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

export const listRunItemsInput = z.object({
  offset: z.coerce.number().int().min(0).default(0).describe("Items to skip"),
  limit: z.coerce.number().int().min(1).max(500).default(50).describe("How many items (1–500)"),
  failed: z
    .preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean().optional())
    .describe("true: only the items that failed; false: only those that passed"),
});

/**
 * A run's item results page by page, with each item's input, expected answer and tags. With
 * `previewChars`, outputs are cut to that many characters in the database (a page of 20 MB outputs
 * was 84 MB of HTML) and `outputLength` says how long each is; runItemOutput reads one whole.
 */
export async function listEvalRunItems(
  db: Db,
  projectId: string,
  runId: string,
  input: z.input<typeof listRunItemsInput> = {},
  opts: { previewChars?: number } = {},
) {
  const q = unprocessable(parseStrict, listRunItemsInput, input);
  const run = await getRunRow(db, projectId, runId);
  const where = and(eq(evalRunItems.runId, run.id), q.failed ? eq(evalRunItems.passed, false) : undefined);
  const { output: _full, ...columns } = getTableColumns(evalRunItems);
  const output =
    opts.previewChars === undefined
      ? evalRunItems.output
      : sql<string | null>`left(${evalRunItems.output}, ${opts.previewChars})`;
  const [rows, [total]] = await readTogether(db, [
    () =>
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
    () => db.select({ n: count() }).from(evalRunItems).where(where),
  ]);
  const spreads = await itemSpreadsOf(
    db,
    run.id,
    rows.map((r) => r.r.itemId),
  );
  return {
    run: run.id,
    total: total!.n,
    offset: q.offset,
    limit: q.limit,
    items: rows.map(({ r, input: itemInput, expected, tags }) => ({
      itemId: r.itemId,
      repetition: r.repetition,
      input: itemInput,
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
      spread: spreads.get(r.itemId) ?? null,
    })),
  };
}

/** An item's results across the run's repetitions of it: how many, the mean score, its spread and the passes. */
export type ItemSpreadDto = Omit<ItemSpread, "itemId">;

/**
 * The spread of each given item over all its repetitions (a page of results may hold only some of
 * them), computed as the run's statistics compute it.
 */
async function itemSpreadsOf(db: Db, runId: string, itemIds: string[]): Promise<Map<string, ItemSpreadDto>> {
  const ids = [...new Set(itemIds)];
  if (!ids.length) return new Map();
  const units = await db
    .select({ itemId: evalRunItems.itemId, results: evalRunItems.scores })
    .from(evalRunItems)
    .where(and(eq(evalRunItems.runId, runId), inArray(evalRunItems.itemId, ids)));
  return new Map(itemSpreads(units).map(({ itemId, ...s }) => [itemId, s]));
}

/** One item's whole output (the run pages show a preview); not_found for another project's run. */
export async function runItemOutput(
  db: Db,
  projectId: string,
  runId: string,
  itemId: string,
  repetition: number,
): Promise<string> {
  const run = await getRunRow(db, projectId, runId);
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
