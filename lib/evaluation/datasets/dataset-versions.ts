// A dataset's version history: what each change did, and which versions hold the same items (the
// same fingerprint), since runs made on one of them count on the others (an undone removal).
import { desc, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { datasetVersions } from "../../../db/schema";
import { getDatasetRow } from "./datasets";

export interface DatasetVersionDto {
  version: number;
  itemCount: number;
  /** "added 3 items", "removed 1 item", "restored version 4"… */
  change: string;
  by: string;
  at: Date;
  /** The oldest earlier version with exactly these items, if any: its runs count for this one too. */
  sameItemsAs: number | null;
}

/** The newest `limit` versions of a dataset (by id or name), newest first. */
export async function listDatasetVersions(
  db: Db,
  projectId: string,
  ref: string,
  opts: { limit?: number } = {},
): Promise<DatasetVersionDto[]> {
  const ds = await getDatasetRow(db, projectId, ref);
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 500);
  const rows = await db
    .select()
    .from(datasetVersions)
    .where(eq(datasetVersions.datasetId, ds.id))
    .orderBy(desc(datasetVersions.version))
    .limit(limit);
  // Every version's fingerprint: "same items as" may point further back than the versions listed.
  const oldest = new Map<string, number>();
  const all = await db
    .select({ version: datasetVersions.version, fingerprint: datasetVersions.fingerprint })
    .from(datasetVersions)
    .where(eq(datasetVersions.datasetId, ds.id))
    .orderBy(datasetVersions.version);
  for (const r of all) if (r.fingerprint && !oldest.has(r.fingerprint)) oldest.set(r.fingerprint, r.version);
  return rows.map((r) => {
    const first = r.fingerprint ? oldest.get(r.fingerprint) : undefined;
    return {
      version: r.version,
      itemCount: r.itemCount,
      change: r.change,
      by: r.createdByLabel,
      at: r.createdAt,
      sameItemsAs: first !== undefined && first < r.version ? first : null,
    };
  });
}
