// A project's turn at importing from Langfuse. An import reads for up to five minutes (import-limits.ts) and
// writes in many transactions, so it holds a lease (project_leases) rather than a lock: one import per project at
// a time, across instances; a second one is refused (429) while the first runs, and a lease whose holder died is
// taken over once its time is up (the import's deadline and a minute). Projects take turns with themselves, never
// waiting behind another project's import.
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { projectLeases } from "../../db/schema";
import { AppError } from "../errors";
import { importLimits } from "./import-limits";

const lease = "langfuse-import";
const leaseSeconds = importLimits.deadlineMs / 1000 + 60;

/** Runs `work` holding the project's import lease; 429 while another import of the project holds it. */
export async function inImportTurn<T>(db: Db, projectId: string, work: () => Promise<T>): Promise<T> {
  const holder = randomUUID();
  const taken = await db
    .insert(projectLeases)
    .values({ projectId, name: lease, holder, expiresAt: sql`now() + make_interval(secs => ${leaseSeconds})` })
    .onConflictDoUpdate({
      target: [projectLeases.projectId, projectLeases.name],
      set: { holder, expiresAt: sql`now() + make_interval(secs => ${leaseSeconds})` },
      setWhere: sql`${projectLeases.expiresAt} < now()`,
    })
    .returning({ holder: projectLeases.holder });
  if (taken[0]?.holder !== holder)
    throw new AppError(
      "rate_limited",
      "This project is already importing from Langfuse: one import runs at a time per project. Try again when it has finished.",
      { limit: 1, retryAfterSeconds: 30 },
    );
  try {
    return await work();
  } finally {
    await db
      .delete(projectLeases)
      .where(
        and(eq(projectLeases.projectId, projectId), eq(projectLeases.name, lease), eq(projectLeases.holder, holder)),
      );
  }
}
