// Reading a dataset's items at a version: page by page for the UI and API, all of them for runs, or as
// a CSV / JSONL file. Item rows carry the range of dataset versions they belong to (db/schema/evaluation.ts).
import { and, asc, count, eq, gt, isNull, lte, or, sql } from "drizzle-orm";
import { z } from "zod";
import { readTogether, type Db } from "../../../db/client";
import { datasetItems } from "../../../db/schema";
import { AppError } from "../../errors";
import { parseInput as parseStrict } from "../../validation";
import { unprocessable } from "../unprocessable";
import { itemsToCsv, itemsToJsonl } from "./parse";

import { getDatasetRow, type DatasetItemRow, type DatasetRow } from "./datasets";

export const inVersion = (version: number) =>
  and(lte(datasetItems.fromVersion, version), or(isNull(datasetItems.toVersion), gt(datasetItems.toVersion, version)));

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
  version: z.coerce.number().int().min(0).optional().describe("The dataset's version (default: its current one)"),
  offset: z.coerce.number().int().min(0).default(0).describe("Items to skip"),
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe("How many items (1–1000)"),
  tag: z.string().max(100).optional().describe("Only items with this tag"),
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

/** An item as the API answers it (ItemDto in JSON); `expected` is absent when the item has none. */
export const itemDtoSchema = z.object({
  id: z.string(),
  key: z.string(),
  input: z.record(z.string(), z.unknown()),
  expected: z.unknown().optional(),
  tags: z.array(z.string()),
  metadata: z.record(z.string(), z.unknown()),
  source: z.string(),
  fromVersion: z.number().int(),
});

export const itemDto = (r: DatasetItemRow): ItemDto => ({
  id: r.id,
  key: r.key,
  input: r.input,
  ...(r.expected !== null && { expected: r.expected }),
  tags: r.tags,
  metadata: r.metadata,
  source: r.source,
  fromVersion: r.fromVersion,
});

/** The items of one dataset version (default: current), in position order, page by page. */
export async function listDatasetItems(
  db: Db,
  projectId: string,
  ref: string,
  input: z.input<typeof listItemsInput> = {},
) {
  const q = unprocessable(parseStrict, listItemsInput, input);
  const ds = await getDatasetRow(db, projectId, ref);
  const version = resolveVersion(ds, q.version);
  const where = and(
    eq(datasetItems.datasetId, ds.id),
    inVersion(version),
    q.tag ? sql`${q.tag} = any(${datasetItems.tags})` : undefined,
  );
  const [rows, [total]] = await readTogether(db, [
    () =>
      db.select().from(datasetItems).where(where).orderBy(asc(datasetItems.position)).offset(q.offset).limit(q.limit),
    () => db.select({ n: count() }).from(datasetItems).where(where),
  ]);
  return { dataset: ds.id, version, total: total!.n, offset: q.offset, limit: q.limit, items: rows.map(itemDto) };
}

/** The answer of GET /api/v1/datasets/{id}/items (listDatasetItems). */
export const itemPageResponse = z.object({
  dataset: z.string(),
  version: z.number().int().min(0),
  total: z.number().int().min(0),
  offset: z.number().int().min(0),
  limit: z.number().int().min(1),
  items: z.array(itemDtoSchema),
});

/** Every item of a dataset version, in order (runs pin a version and read exactly these). */
export async function itemsAtVersion(db: Db, datasetId: string, version: number): Promise<DatasetItemRow[]> {
  return db
    .select()
    .from(datasetItems)
    .where(and(eq(datasetItems.datasetId, datasetId), inVersion(version)))
    .orderBy(asc(datasetItems.position));
}

export async function exportDataset(
  db: Db,
  projectId: string,
  ref: string,
  format: "csv" | "jsonl",
  version?: number,
): Promise<{ body: string; contentType: string; filename: string }> {
  const ds = await getDatasetRow(db, projectId, ref);
  const v = resolveVersion(ds, version);
  const items = (await itemsAtVersion(db, ds.id, v)).map(itemDto);
  const base = `${ds.name.replace(/[^\w.-]+/g, "_")}-v${v}`;
  return format === "csv"
    ? { body: itemsToCsv(items), contentType: "text/csv; charset=utf-8", filename: `${base}.csv` }
    : { body: itemsToJsonl(items), contentType: "application/x-ndjson; charset=utf-8", filename: `${base}.jsonl` };
}

/** GET /api/v1/datasets/{id}/export: the format and dataset version of exportDataset. */
export const exportItemsQuery = z.object({
  format: z.enum(["csv", "jsonl"], { error: "format must be csv or jsonl" }).default("csv").describe("The file format"),
  version: z.coerce
    .number({ error: "version must be a number" })
    .int()
    .min(0)
    .optional()
    .describe("The dataset's version (default: its current one)"),
});
