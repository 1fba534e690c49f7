// Datasets and their versioned items. Every change to the items (add, edit, remove) runs in one
// transaction under a lock on the dataset row, bumps currentVersion and records a dataset_versions
// row; see db/schema/evaluation.ts for how item rows carry their version ranges.
import { discardQueuedJobs } from "../../jobs/sql";
import { evalRunJobRef } from "../runs/job-ref";
import { and, asc, count, eq, gt, inArray, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import {
  datasetItems,
  datasetVersions,
  datasets,
  evalRuns,
  onlineSamples,
  prompts,
  promptVersions,
} from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { authorize } from "../../auth/permissions";
import { AppError, isUniqueViolation, pgErrorCode } from "../../errors";
import { actorUserId, type DomainContext } from "../../registry/context";
import { parseInput as parseStrict } from "../../validation";
import { assertMayChangeGateDataset } from "./gate-guard";
import { unprocessable } from "../unprocessable";
import {
  checkItem,
  itemPatchSchema,
  itemsToCsv,
  itemsToJsonl,
  parseCsvItems,
  parseJsonItems,
  parseJsonlItems,
  type DatasetItemInput,
  type DeclaredVariable,
  type ParseResult,
} from "./parse";

export type DatasetRow = typeof datasets.$inferSelect;
export type DatasetItemRow = typeof datasetItems.$inferSelect;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => uuidPattern.test(s);

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
  createdAt: Date;
  updatedAt: Date;
}

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
  authorize(ctx.actor, "evaluation.run");
  const data = unprocessable(parseStrict, createDatasetInput, input);
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
    if (isUniqueViolation(e))
      throw new AppError("conflict", `A dataset named ${data.name} already exists.`, { field: "name" });
    throw e;
  }
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

/** By id or name. */
export async function getDataset(db: Db, projectId: string, ref: string): Promise<DatasetRow> {
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
  authorize(ctx.actor, "evaluation.run");
  const data = unprocessable(parseStrict, updateDatasetInput, input);
  const ds = await getDataset(ctx.db, ctx.projectId, ref);
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
    if (isUniqueViolation(e))
      throw new AppError("conflict", `A dataset named ${data.name} already exists.`, { field: "name" });
    throw e;
  }
}

/** Deletes the dataset, its items and its runs. Refused while an environment's gate uses it. */
export async function deleteDataset(ctx: DomainContext, ref: string): Promise<DatasetRow> {
  authorize(ctx.actor, "evaluation.manage");
  const ds = await getDataset(ctx.db, ctx.projectId, ref);
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
  }));
}

export type ItemFormat = "json" | "csv" | "jsonl";

/** Parses an upload against the dataset's prompt; throws 422 listing every bad row (nothing stored). */
export async function parseUpload(
  db: Db,
  ds: DatasetRow,
  format: ItemFormat,
  body: unknown,
): Promise<DatasetItemInput[]> {
  const vars = await declaredVariables(db, ds);
  let r: ParseResult;
  if (format === "json") r = parseJsonItems(body, vars);
  else if (typeof body !== "string")
    throw new AppError("unprocessable", `a ${format} upload must be text`, { field: "body" });
  else r = format === "csv" ? parseCsvItems(body, vars) : parseJsonlItems(body, vars);
  if (!r.ok) {
    const bad = new Set(r.errors.map((e) => e.row)).size;
    throw new AppError(
      "unprocessable",
      `${bad} of ${r.rows} rows are invalid; nothing was stored. ${r.errors
        .slice(0, 3)
        .map((e) => (e.row ? `Row ${e.row}: ${e.message}` : e.message))
        .join("; ")}`,
      {
        field: "items",
        errors: r.errors.slice(0, 1000),
        totalErrors: r.errors.length,
      },
    );
  }
  return r.items;
}

type Tx = Db;

/** Locks the dataset and opens the next version; `apply` writes the item changes and returns the new item count. */
async function newVersion<T>(
  ctx: DomainContext,
  ds: DatasetRow,
  change: string,
  apply: (tx: Tx, version: number, current: number, itemCount: number) => Promise<{ itemCount: number; result: T }>,
) {
  return ctx.db.transaction(async (tx) => {
    const [locked] = await tx.select().from(datasets).where(eq(datasets.id, ds.id)).for("update");
    if (!locked) throw new AppError("not_found", `No dataset ${ds.name}.`);
    const current = locked.currentVersion;
    const [prev] = current
      ? await tx
          .select({ itemCount: datasetVersions.itemCount })
          .from(datasetVersions)
          .where(and(eq(datasetVersions.datasetId, ds.id), eq(datasetVersions.version, current)))
      : [];
    const version = current + 1;
    await tx.insert(datasetVersions).values({
      datasetId: ds.id,
      version,
      itemCount: prev?.itemCount ?? 0,
      change,
      createdBy: actorUserId(ctx),
      createdByLabel: ctx.actor.label,
    });
    const { itemCount, result } = await apply(tx, version, current, prev?.itemCount ?? 0);
    // The fingerprint (migration 0012's dataset_fingerprint): versions with the same items share it.
    await tx
      .update(datasetVersions)
      .set({ itemCount, fingerprint: sql`dataset_fingerprint(${ds.id}::uuid, ${version}::int)` })
      .where(and(eq(datasetVersions.datasetId, ds.id), eq(datasetVersions.version, version)));
    await tx
      .update(datasets)
      .set({ currentVersion: version, updatedAt: ctx.now?.() ?? new Date() })
      .where(eq(datasets.id, ds.id));
    await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "dataset.items",
      objectType: "dataset",
      objectId: ds.id,
      after: { version, change },
    });
    return { version, result };
  });
}

const BATCH = 1000;

/** Adds validated items as one new dataset version. */
export async function addItems(
  ctx: DomainContext,
  ref: string,
  items: readonly DatasetItemInput[],
  opts: { source?: string; sources?: string[] } = {},
): Promise<{ version: number; added: number; ids: string[] }> {
  authorize(ctx.actor, "evaluation.run");
  if (!items.length) throw new AppError("unprocessable", "items must not be empty", { field: "items" });
  const ds = await getDataset(ctx.db, ctx.projectId, ref);
  await assertMayChangeGateDataset(ctx, ds, "items");
  const { version, result } = await newVersion(
    ctx,
    ds,
    `added ${items.length} item${items.length === 1 ? "" : "s"}`,
    async (tx, version, _current, itemCount) => {
      const [max] = await tx
        .select({ p: sql<number | null>`max(${datasetItems.position})` })
        .from(datasetItems)
        .where(eq(datasetItems.datasetId, ds.id));
      const start = Number(max?.p ?? 0) + 1;
      const ids: string[] = [];
      for (let i = 0; i < items.length; i += BATCH) {
        const rows = items.slice(i, i + BATCH).map((it, j) => ({
          datasetId: ds.id,
          position: start + i + j,
          fromVersion: version,
          input: it.input,
          expected: it.expected ?? null,
          tags: it.tags,
          metadata: it.metadata,
          source: opts.sources?.[i + j] ?? opts.source ?? "api",
        }));
        ids.push(...(await tx.insert(datasetItems).values(rows).returning({ id: datasetItems.id })).map((r) => r.id));
      }
      return { itemCount: itemCount + items.length, result: ids };
    },
  );
  return { version, added: items.length, ids: result };
}

/** Parses an upload (JSON body, CSV or JSONL text) and adds its items; all or nothing. */
export async function importItems(ctx: DomainContext, ref: string, format: ItemFormat, body: unknown) {
  authorize(ctx.actor, "evaluation.run");
  const ds = await getDataset(ctx.db, ctx.projectId, ref);
  const items = await parseUpload(ctx.db, ds, format, body);
  const r = await addItems(ctx, ds.id, items, { source: format === "json" ? "api" : `import:${format}` });
  return { version: r.version, added: r.added };
}

const inVersion = (version: number) =>
  and(lte(datasetItems.fromVersion, version), or(isNull(datasetItems.toVersion), gt(datasetItems.toVersion, version)));

async function currentItem(db: Db, ds: DatasetRow, itemId: string): Promise<DatasetItemRow> {
  if (!isUuid(itemId)) throw new AppError("not_found", `No item ${itemId} in dataset ${ds.name}.`, { field: "itemId" });
  const [row] = await db
    .select()
    .from(datasetItems)
    .where(and(eq(datasetItems.datasetId, ds.id), eq(datasetItems.id, itemId)));
  if (!row) throw new AppError("not_found", `No item ${itemId} in dataset ${ds.name}.`, { field: "itemId" });
  if (row.toVersion !== null)
    throw new AppError(
      "conflict",
      `Item ${itemId} was edited or removed in dataset version ${row.toVersion}; edit its current revision.`,
      { field: "itemId", replacedIn: row.toVersion },
    );
  return row;
}

/** Edits an item: a new dataset version in which the item has a new revision (a new id, the same key). */
export async function updateItem(
  ctx: DomainContext,
  ref: string,
  itemId: string,
  patch: unknown,
): Promise<{ version: number; item: DatasetItemRow }> {
  authorize(ctx.actor, "evaluation.run");
  const ds = await getDataset(ctx.db, ctx.projectId, ref);
  await assertMayChangeGateDataset(ctx, ds, "items");
  const data = unprocessable(parseStrict, itemPatchSchema, patch);
  const old = await currentItem(ctx.db, ds, itemId);
  const merged = {
    input: data.input ?? (old.input as Record<string, unknown>),
    expected: "expected" in data ? data.expected : old.expected,
    tags: data.tags ?? old.tags,
    metadata: data.metadata ?? (old.metadata as Record<string, unknown>),
  };
  const checked = checkItem(merged, 1, await declaredVariables(ctx.db, ds));
  if (!checked.item)
    throw new AppError("unprocessable", checked.errors.map((e) => e.message).join("; "), {
      field: checked.errors[0]?.field,
      errors: checked.errors,
    });
  const item = checked.item;
  const { version, result } = await newVersion(
    ctx,
    ds,
    `edited item ${old.key}`,
    async (tx, version, _current, itemCount) => {
      const closed = await tx
        .update(datasetItems)
        .set({ toVersion: version })
        .where(and(eq(datasetItems.id, old.id), isNull(datasetItems.toVersion)))
        .returning({ id: datasetItems.id });
      if (!closed.length)
        throw new AppError("conflict", `Item ${itemId} changed meanwhile; reload it.`, { field: "itemId" });
      const [row] = await tx
        .insert(datasetItems)
        .values({
          datasetId: ds.id,
          key: old.key,
          position: old.position,
          fromVersion: version,
          input: item.input,
          expected: item.expected ?? null,
          tags: item.tags,
          metadata: item.metadata,
          source: old.source,
        })
        .returning();
      return { itemCount, result: row! };
    },
  );
  return { version, item: result };
}

/** Removes items: a new dataset version without them. */
export async function removeItems(
  ctx: DomainContext,
  ref: string,
  itemIds: readonly string[],
): Promise<{ version: number; removed: number }> {
  authorize(ctx.actor, "evaluation.run");
  const ds = await getDataset(ctx.db, ctx.projectId, ref);
  await assertMayChangeGateDataset(ctx, ds, "items");
  for (const id of itemIds) await currentItem(ctx.db, ds, id);
  const { version } = await newVersion(
    ctx,
    ds,
    `removed ${itemIds.length} item${itemIds.length === 1 ? "" : "s"}`,
    async (tx, version, _current, itemCount) => {
      const closed = await tx
        .update(datasetItems)
        .set({ toVersion: version })
        .where(
          and(
            eq(datasetItems.datasetId, ds.id),
            inArray(datasetItems.id, [...itemIds]),
            isNull(datasetItems.toVersion),
          ),
        )
        .returning({ id: datasetItems.id });
      if (closed.length !== itemIds.length)
        throw new AppError("conflict", "Some items changed meanwhile; reload them.", { field: "itemId" });
      return { itemCount: itemCount - closed.length, result: null };
    },
  );
  return { version, removed: itemIds.length };
}

export const restoreVersionInput = z.object({
  version: z.number({ error: "version must be a number" }).int("version must be a whole number").optional(),
});

/**
 * Undo: a new dataset version whose items are those of an earlier version (by default the one before
 * the current). Items removed since come back as new revisions with their old keys and content, items
 * added since are removed, edited items return to their old content; the new version's fingerprint
 * then equals the earlier one's, so every evaluation run made on those items counts again (gates).
 */
export async function restoreVersion(
  ctx: DomainContext,
  ref: string,
  version?: number,
): Promise<{ version: number; restored: number }> {
  authorize(ctx.actor, "evaluation.run");
  const ds = await getDataset(ctx.db, ctx.projectId, ref);
  await assertMayChangeGateDataset(ctx, ds, "items");
  const target = version ?? ds.currentVersion - 1;
  if (!Number.isInteger(target) || target < 1 || target >= ds.currentVersion)
    throw new AppError(
      "unprocessable",
      ds.currentVersion <= 1
        ? `Dataset ${ds.name} has no earlier version to restore.`
        : `version must be between 1 and ${ds.currentVersion - 1} (the current version is ${ds.currentVersion}).`,
      { field: "version" },
    );
  const { version: created } = await newVersion(ctx, ds, `restored version ${target}`, async (tx, v, current) => {
    const then = await tx
      .select()
      .from(datasetItems)
      .where(and(eq(datasetItems.datasetId, ds.id), inVersion(target)));
    const now = await tx
      .select()
      .from(datasetItems)
      .where(and(eq(datasetItems.datasetId, ds.id), inVersion(current)));
    const keep = new Set(then.map((r) => r.id));
    const present = new Set(now.map((r) => r.id));
    const close = now.filter((r) => !keep.has(r.id)).map((r) => r.id);
    for (let i = 0; i < close.length; i += BATCH)
      await tx
        .update(datasetItems)
        .set({ toVersion: v })
        .where(inArray(datasetItems.id, close.slice(i, i + BATCH)));
    const back = then.filter((r) => !present.has(r.id));
    for (let i = 0; i < back.length; i += BATCH)
      await tx.insert(datasetItems).values(
        back.slice(i, i + BATCH).map((r) => ({
          datasetId: ds.id,
          key: r.key,
          position: r.position,
          fromVersion: v,
          input: r.input,
          expected: r.expected,
          tags: r.tags,
          metadata: r.metadata,
          source: r.source,
        })),
      );
    return { itemCount: then.length, result: null };
  });
  return { version: created, restored: target };
}

/** Resolves a version number (default: current); 404 for a version that does not exist. */
export function resolveVersion(ds: DatasetRow, version?: number): number {
  const v = version ?? ds.currentVersion;
  if (!Number.isInteger(v) || v < 0 || v > ds.currentVersion)
    throw new AppError("not_found", `Dataset ${ds.name} has no version ${v} (current: ${ds.currentVersion}).`, {
      field: "version",
    });
  return v;
}

export const listItemsInput = z.object({
  version: z.coerce.number().int().min(0).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  tag: z.string().max(100).optional(),
});

export interface ItemDto {
  id: string;
  key: string;
  input: Record<string, unknown>;
  expected?: unknown;
  tags: string[];
  metadata: Record<string, unknown>;
  source: string;
  fromVersion: number;
}

export const itemDto = (r: DatasetItemRow): ItemDto => ({
  id: r.id,
  key: r.key,
  input: r.input as Record<string, unknown>,
  ...(r.expected !== null && { expected: r.expected }),
  tags: r.tags,
  metadata: r.metadata as Record<string, unknown>,
  source: r.source,
  fromVersion: r.fromVersion,
});

/** The items of one dataset version (default: current), in position order, page by page. */
export async function listItems(db: Db, projectId: string, ref: string, input: z.input<typeof listItemsInput> = {}) {
  const q = unprocessable(parseStrict, listItemsInput, input);
  const ds = await getDataset(db, projectId, ref);
  const version = resolveVersion(ds, q.version);
  const where = and(
    eq(datasetItems.datasetId, ds.id),
    inVersion(version),
    q.tag ? sql`${q.tag} = any(${datasetItems.tags})` : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db.select().from(datasetItems).where(where).orderBy(asc(datasetItems.position)).offset(q.offset).limit(q.limit),
    db.select({ n: count() }).from(datasetItems).where(where),
  ]);
  return { dataset: ds.id, version, total: total!.n, offset: q.offset, limit: q.limit, items: rows.map(itemDto) };
}

/** Every item of a dataset version, in order (runs pin a version and read exactly these). */
export async function itemsAtVersion(db: Db, datasetId: string, version: number): Promise<DatasetItemRow[]> {
  return db
    .select()
    .from(datasetItems)
    .where(and(eq(datasetItems.datasetId, datasetId), inVersion(version)))
    .orderBy(asc(datasetItems.position));
}

export async function exportItems(
  db: Db,
  projectId: string,
  ref: string,
  format: "csv" | "jsonl",
  version?: number,
): Promise<{ body: string; contentType: string; filename: string }> {
  const ds = await getDataset(db, projectId, ref);
  const v = resolveVersion(ds, version);
  const items = (await itemsAtVersion(db, ds.id, v)).map(itemDto);
  const base = `${ds.name.replace(/[^\w.-]+/g, "_")}-v${v}`;
  return format === "csv"
    ? { body: itemsToCsv(items), contentType: "text/csv; charset=utf-8", filename: `${base}.csv` }
    : { body: itemsToJsonl(items), contentType: "application/x-ndjson; charset=utf-8", filename: `${base}.jsonl` };
}

/**
 * Adds production samples (online evaluation) as items: the sample's input becomes the item's input
 * and its output the expected answer (a reviewed good answer; edit it when it is not).
 */
export async function addItemsFromSamples(ctx: DomainContext, ref: string, sampleIds: readonly number[]) {
  authorize(ctx.actor, "evaluation.run");
  if (!sampleIds.length) throw new AppError("unprocessable", "sampleIds must not be empty", { field: "sampleIds" });
  const rows = await ctx.db
    .select({
      id: onlineSamples.id,
      input: onlineSamples.input,
      output: onlineSamples.output,
      version: onlineSamples.version,
      environment: onlineSamples.environment,
    })
    .from(onlineSamples)
    .where(and(eq(onlineSamples.projectId, ctx.projectId), inArray(onlineSamples.id, [...sampleIds])));
  const found = new Set(rows.map((r) => r.id));
  const missing = sampleIds.filter((id) => !found.has(id));
  if (missing.length)
    throw new AppError("not_found", `No online samples ${missing.join(", ")} in this project.`, {
      field: "sampleIds",
      missing,
    });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const items: DatasetItemInput[] = sampleIds.map((id) => {
    const s = byId.get(id)!;
    const input =
      s.input && typeof s.input === "object" && !Array.isArray(s.input) ? (s.input as Record<string, unknown>) : {};
    return {
      input,
      expected: s.output,
      tags: ["production"],
      metadata: { sampleId: id, version: s.version, environment: s.environment },
    };
  });
  return addItems(ctx, ref, items, { sources: sampleIds.map((id) => `sample:${id}`) });
}
