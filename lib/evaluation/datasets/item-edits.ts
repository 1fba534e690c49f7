// Editing a dataset's items: an item's new revision, removing items, restoring an earlier version's items.
// Each is one new dataset version (newVersion in items.ts).
import { and, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { datasetItems } from "../../../db/schema";
import { AppError } from "../../errors";
import { type DomainContext } from "../../context";
import { parseInput as parseStrict } from "../../validation";
import { assertMayChangeGateDataset } from "./gate-guard";
import { unprocessable } from "../unprocessable";
import { checkItem, itemPatchSchema } from "./parse";

import { isUuid } from "../../validation";
import { getDatasetRow, declaredVariables, type DatasetItemRow, type DatasetRow } from "./datasets";
import { inVersion, itemDtoSchema } from "./item-reads";
import { BATCH, newVersion } from "./items";

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

/** An item edit's fields ({input?, expected?, tags?, metadata?}); a bad one is a 422 naming the field. */
export const parseItemPatch = (input: unknown) => unprocessable(parseStrict, itemPatchSchema, input);

/** The answer of PATCH /api/v1/datasets/{id}/items/{itemId}: the new version and the item's new revision. */
export const updatedItemResponse = z.object({ version: z.number().int(), item: itemDtoSchema });

/** Edits an item: a new dataset version in which the item has a new revision (a new id, the same key). */
export async function updateDatasetItem(
  ctx: DomainContext,
  ref: string,
  itemId: string,
  patch: z.input<typeof itemPatchSchema>,
): Promise<{ version: number; item: DatasetItemRow }> {
  const data = parseItemPatch(patch);
  const ds = await getDatasetRow(ctx.db, ctx.projectId, ref);
  await assertMayChangeGateDataset(ctx, ds, "items");
  const old = await currentItem(ctx.db, ds, itemId);
  const merged = {
    input: data.input ?? old.input,
    expected: "expected" in data ? data.expected : old.expected,
    tags: data.tags ?? old.tags,
    metadata: data.metadata ?? old.metadata,
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

/** The answer of DELETE /api/v1/datasets/{id}/items/{itemId}. */
export const removedItemsResponse = z.object({ version: z.number().int(), removed: z.number().int() });

/** Removes items: a new dataset version without them. */
export async function removeItems(
  ctx: DomainContext,
  ref: string,
  itemIds: readonly string[],
): Promise<{ version: number; removed: number }> {
  const ds = await getDatasetRow(ctx.db, ctx.projectId, ref);
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

/** The answer of POST /api/v1/datasets/{id}/restore: the new version, and the version whose items it has. */
export const restoredVersionResponse = z.object({ version: z.number().int(), restored: z.number().int() });

export const restoreVersionInput = z.object({
  version: z.number({ error: "version must be a number" }).int("version must be a whole number").optional(),
});

/**
 * Undo: a new dataset version whose items are those of an earlier version (by default the one before
 * the current). Items removed since come back as new revisions with their old keys and content, items
 * added since are removed, edited items return to their old content; the new version's fingerprint
 * then equals the earlier one's, so every evaluation run made on those items counts again (gates).
 */
export async function restoreDatasetVersion(
  ctx: DomainContext,
  ref: string,
  version?: number,
): Promise<{ version: number; restored: number }> {
  const ds = await getDatasetRow(ctx.db, ctx.projectId, ref);
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
