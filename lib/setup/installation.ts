import type { Db } from "../../db/client";
import { installation } from "../../db/schema";

/** This database's installation id (one row, written by migration 0011). */
export async function installationId(db: Db): Promise<string> {
  const [row] = await db.select({ id: installation.id }).from(installation).limit(1);
  if (!row)
    throw new Error(
      "the installation table is empty: the database was not migrated by Lectern (migration 0011 writes its one row)",
    );
  return row.id;
}
