// Changing a dataset's items: uploads, adding, editing, removing, restoring an earlier version, adding
// production samples. Every change runs in one transaction under a lock on the dataset row, bumps
// currentVersion and records a dataset_versions row (newVersion below).
import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { datasetItems, datasetVersions, datasets, onlineSamples } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { AppError } from "../../errors";
import { actorUserId, type DomainContext } from "../../context";
import { isPlainObject } from "../../registry/json";
import { assertMayChangeGateDataset } from "./gate-guard";
import { parseCsvItems, parseJsonItems, parseJsonlItems, type DatasetItemInput, type ParseResult } from "./parse";

import { getDatasetRow, declaredVariables, type DatasetRow } from "./datasets";

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
export async function newVersion<T>(
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

export const BATCH = 1000;

/** Adds validated items as one new dataset version. */
export async function addItems(
  ctx: DomainContext,
  ref: string,
  items: readonly DatasetItemInput[],
  opts: {
    source?: string;
    sources?: string[];
    /** The dataset `ref` names, as the caller read it already (importItems): not read again. */
    dataset?: DatasetRow;
  } = {},
): Promise<{ version: number; added: number; ids: string[] }> {
  if (!items.length) throw new AppError("unprocessable", "items must not be empty", { field: "items" });
  const ds = opts.dataset ?? (await getDatasetRow(ctx.db, ctx.projectId, ref));
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
  const ds = await getDatasetRow(ctx.db, ctx.projectId, ref);
  const items = await parseUpload(ctx.db, ds, format, body);
  const r = await addItems(ctx, ds.id, items, { source: format === "json" ? "api" : `import:${format}`, dataset: ds });
  return { version: r.version, added: r.added };
}

/** Production samples to add as items: the API's JSON body {sampleIds}, and the online page's selection. */
export const addSamplesInput = z.object({
  sampleIds: z.custom<number[]>((v) => Array.isArray(v) && v.every((x) => Number.isSafeInteger(x)), {
    error: "sampleIds must be a list of online sample ids",
  }),
});

/**
 * Adds production samples (online evaluation) as items: the sample's input becomes the item's input
 * and its output the expected answer (a reviewed good answer; edit it when it is not).
 */
export async function addItemsFromSamples(ctx: DomainContext, ref: string, sampleIds: readonly number[]) {
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
    // Only variables can render the prompt: an input that was the user's message (or messages) is kept beside.
    const variables = isPlainObject(s.input) ? s.input : null;
    return {
      input: variables ?? {},
      expected: s.output,
      tags: ["production"],
      metadata: {
        sampleId: id,
        version: s.version,
        environment: s.environment,
        ...(!variables && s.input !== null ? { loggedInput: s.input } : {}),
      },
    };
  });
  return addItems(ctx, ref, items, { sources: sampleIds.map((id) => `sample:${id}`) });
}
