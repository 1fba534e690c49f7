// The per-project limit on work queued or running (evaluation runs, optimizations): checked and written
// under a lock on the project, so a burst of requests cannot all see room for one more (each would pass
// a check made without it).
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { evalRuns, optimizations, projects } from "../../../db/schema";

/**
 * Locks the project's row until the transaction ends; then, given a limit, whether the project's rows of
 * `table` queued or running already reach it (false without a limit).
 */
export async function lockAtActiveLimit(
  tx: Db,
  projectId: string,
  table: typeof evalRuns | typeof optimizations,
  limit: number | undefined,
): Promise<boolean> {
  await tx.select({ id: projects.id }).from(projects).where(eq(projects.id, projectId)).for("update");
  if (limit === undefined) return false;
  const [{ n }] = (await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(table)
    .where(and(eq(table.projectId, projectId), inArray(table.status, ["queued", "running"])))) as [{ n: number }];
  return n >= limit;
}
