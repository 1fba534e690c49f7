// Datasets: create, list, rename, tie to a prompt, delete. Their versioned items are changed in items.ts
// and read in item-reads.ts; see db/schema/evaluation.ts for how item rows carry their version ranges.
import { discardQueuedJobs } from "../../jobs/sql";
import { isUuid } from "../../validation";
import { evalRunJobRef } from "../runs/job-ref";
import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { datasetItems, datasetVersions, datasets, evalRuns, prompts, promptVersions } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { AppError, isUniqueViolation, pgErrorCode } from "../../errors";
import { actorUserId, type DomainContext } from "../../context";
import { parseInput as parseStrict } from "../../validation";
import { assertMayChangeGateDataset } from "./gate-guard";
import { unprocessable } from "../unprocessable";
import { type DeclaredVariable } from "./parse";

export type DatasetRow = typeof datasets.$inferSelect;
export type DatasetItemRow = typeof datasetItems.$inferSelect;

const nameSchema = z
  .string({ error: "name is required" })
  .trim()
  .regex(
    /^[\w][\w .:/-]{0,99}$/,
    "name must be 1–100 letters, digits, spaces or _ . : / - (starting with a letter or digit)",
  );

export const createDatasetInput = z.object({
  name: nameSchema,
  prompt: z.string({ error: "prompt must be a prompt name" }).min(1).max(255).nullable().optional(),
  description: z
    .string({ error: "description must be a string" })
    .max(2000, "description must be at most 2000 characters")
    .default(""),
});

export const updateDatasetInput = z.object({
  name: nameSchema.optional(),
  prompt: z.string({ error: "prompt must be a prompt name" }).min(1).max(255).nullable().optional(),
  description: z
    .string({ error: "description must be a string" })
    .max(2000, "description must be at most 2000 characters")
    .optional(),
});

/** A new dataset's fields as POST /api/v1/datasets takes them: 422 naming the field when one is bad. */
export const parseCreateDatasetInput = (input: unknown) => unprocessable(parseStrict, createDatasetInput, input);

/** A dataset change as PATCH /api/v1/datasets/{id} takes it: 422 naming the field when one is bad. */
export const parseUpdateDatasetInput = (input: unknown) => unprocessable(parseStrict, updateDatasetInput, input);

async function promptIdByName(db: Db, projectId: string, name: string): Promise<string> {
  const [p] = await db
    .select({ id: prompts.id })
    .from(prompts)
    .where(and(eq(prompts.projectId, projectId), eq(prompts.name, name)));
  if (!p) throw new AppError("unprocessable", `prompt: no prompt named ${name} in this project`, { field: "prompt" });
  return p.id;
}

export interface DatasetDto {
  id: string;
  name: string;
  description: string;
  prompt: string | null;
  version: number;
  items: number;
  scorers: DatasetRow["scorers"];
  createdAt: Date;
  updatedAt: Date;
}

/** A dataset as the API answers it (DatasetDto in JSON), checked when LECTERN_CHECK_RESPONSES is on. */
export const datasetSchema = z.object({
  id: z.string(),
  name: z.string().min(1),
  description: z.string(),
  prompt: z.string().nullable(),
  version: z.number().int().min(0),
  items: z.number().int().min(0),
  /** The scorers a run naming none uses (a .prompt.yml file's evaluators); null: a non-empty answer. */
  scorers: z.array(z.record(z.string(), z.unknown())).nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});
export const datasetListResponse = z.object({ data: z.array(datasetSchema) });

async function toDtos(db: Db, rows: DatasetRow[]): Promise<DatasetDto[]> {
  if (!rows.length) return [];
  const promptIds = [...new Set(rows.flatMap((r) => (r.promptId ? [r.promptId] : [])))];
  const names = new Map(
    promptIds.length
      ? (
          await db.select({ id: prompts.id, name: prompts.name }).from(prompts).where(inArray(prompts.id, promptIds))
        ).map((p) => [p.id, p.name])
      : [],
  );
  const counts = await db
    .select({
      datasetId: datasetVersions.datasetId,
      version: datasetVersions.version,
      itemCount: datasetVersions.itemCount,
    })
    .from(datasetVersions)
    .innerJoin(
      datasets,
      and(eq(datasets.id, datasetVersions.datasetId), eq(datasets.currentVersion, datasetVersions.version)),
    )
    .where(
      inArray(
        datasetVersions.datasetId,
        rows.map((r) => r.id),
      ),
    );
  const countOf = new Map(counts.map((c) => [c.datasetId, c.itemCount]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    prompt: r.promptId ? (names.get(r.promptId) ?? null) : null,
    version: r.currentVersion,
    items: countOf.get(r.id) ?? 0,
    scorers: r.scorers,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }));
}

export async function datasetDto(db: Db, row: DatasetRow): Promise<DatasetDto> {
  return (await toDtos(db, [row]))[0]!;
}

export async function createDataset(
  ctx: DomainContext,
  input: z.input<typeof createDatasetInput>,
): Promise<DatasetRow> {
  // Parsed again: server actions, imports and jobs call this too.
  const data = parseCreateDatasetInput(input);
  const promptId = data.prompt ? await promptIdByName(ctx.db, ctx.projectId, data.prompt) : null;
  try {
    return await ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(datasets)
        .values({
          projectId: ctx.projectId,
          name: data.name,
          description: data.description,
          promptId,
          createdBy: actorUserId(ctx),
        })
        .returning();
      await recordAudit(tx, {
        projectId: ctx.projectId,
        actor: ctx.actor,
        action: "dataset.create",
        objectType: "dataset",
        objectId: row!.id,
        after: data,
      });
      return row!;
    });
  } catch (e) {
    nameTaken(e, data.name);
  }
}

/** A dataset name already taken is a conflict naming the field; any other error is thrown as it is. */
function nameTaken(e: unknown, name: string | undefined): never {
  if (isUniqueViolation(e))
    throw new AppError("conflict", `A dataset named ${name} already exists.`, { field: "name" });
  throw e;
}

export async function listDatasets(db: Db, projectId: string, opts: { prompt?: string } = {}): Promise<DatasetDto[]> {
  const where: SQL[] = [eq(datasets.projectId, projectId)];
  if (opts.prompt) where.push(eq(datasets.promptId, await promptIdByName(db, projectId, opts.prompt)));
  return toDtos(
    db,
    await db
      .select()
      .from(datasets)
      .where(and(...where))
      .orderBy(asc(datasets.name)),
  );
}

/** GET /api/v1/datasets/{id}: one dataset (by id or name) as the API shows it. */
export async function getDataset(db: Db, projectId: string, ref: string): Promise<DatasetDto> {
  return datasetDto(db, await getDatasetRow(db, projectId, ref));
}

/** By id or name. */
export async function getDatasetRow(db: Db, projectId: string, ref: string): Promise<DatasetRow> {
  const [row] = await db
    .select()
    .from(datasets)
    .where(and(eq(datasets.projectId, projectId), isUuid(ref) ? eq(datasets.id, ref) : eq(datasets.name, ref)));
  if (!row) throw new AppError("not_found", `No dataset ${ref} in this project.`, { field: "dataset", dataset: ref });
  return row;
}

export async function updateDataset(
  ctx: DomainContext,
  ref: string,
  input: z.input<typeof updateDatasetInput>,
): Promise<DatasetRow> {
  const data = parseUpdateDatasetInput(input);
  const ds = await getDatasetRow(ctx.db, ctx.projectId, ref);
  const set: Partial<typeof datasets.$inferInsert> = { updatedAt: ctx.now?.() ?? new Date() };
  if (data.name !== undefined) set.name = data.name;
  if (data.description !== undefined) set.description = data.description;
  if (data.prompt !== undefined) {
    set.promptId = data.prompt === null ? null : await promptIdByName(ctx.db, ctx.projectId, data.prompt);
    if (set.promptId !== ds.promptId) await assertMayChangeGateDataset(ctx, ds, "prompt");
  }
  try {
    const [row] = await ctx.db.update(datasets).set(set).where(eq(datasets.id, ds.id)).returning();
    await recordAudit(ctx.db, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "dataset.update",
      objectType: "dataset",
      objectId: ds.id,
      before: { name: ds.name, description: ds.description, promptId: ds.promptId },
      after: data,
    });
    return row!;
  } catch (e) {
    nameTaken(e, data.name);
  }
}

/** The answer of DELETE /api/v1/datasets/{id}: the dataset deleted. */
export const deletedDatasetResponse = z.object({ id: z.string(), name: z.string(), deleted: z.literal(true) });

/** Deletes the dataset, its items and its runs. Refused while an environment's gate uses it. */
export async function deleteDataset(ctx: DomainContext, ref: string): Promise<DatasetRow> {
  const ds = await getDatasetRow(ctx.db, ctx.projectId, ref);
  try {
    await ctx.db.transaction(async (tx) => {
      // Its runs go with it (cascade): so do their jobs that have not started.
      const runs = await tx
        .select({ id: evalRuns.id })
        .from(evalRuns)
        .where(and(eq(evalRuns.datasetId, ds.id), inArray(evalRuns.status, ["queued", "running"])));
      await tx.delete(datasets).where(eq(datasets.id, ds.id));
      await discardQueuedJobs(
        tx,
        evalRunJobRef,
        runs.map((r) => r.id),
      );
      await recordAudit(tx, {
        projectId: ctx.projectId,
        actor: ctx.actor,
        action: "dataset.delete",
        objectType: "dataset",
        objectId: ds.id,
        before: { name: ds.name },
      });
    });
  } catch (e) {
    const code = pgErrorCode(e);
    if (code === "23001" || code === "23503")
      throw new AppError("conflict", `Dataset ${ds.name} is an environment's evaluation gate; remove the gate first.`, {
        dataset: ds.name,
      });
    throw e;
  }
  return ds;
}

/** The prompt's declared variables (its latest version), when the dataset is tied to a prompt. */
export async function declaredVariables(db: Db, ds: DatasetRow): Promise<DeclaredVariable[] | undefined> {
  if (!ds.promptId) return undefined;
  const [v] = await db
    .select({ content: promptVersions.content })
    .from(promptVersions)
    .where(eq(promptVersions.promptId, ds.promptId))
    .orderBy(sql`${promptVersions.version} desc`)
    .limit(1);
  if (!v) return undefined;
  return v.content.variables.map((x) => ({
    name: x.name,
    type: x.type,
    required: x.required,
    hasDefault: x.default !== undefined,
    ...(x.schema ? { schema: x.schema } : {}),
  }));
}

/** GET /api/v1/datasets?prompt= (listDatasets). */
export const listDatasetsQuery = z.object({
  prompt: z.string().max(200).optional().describe("Only the datasets tied to this prompt"),
});
