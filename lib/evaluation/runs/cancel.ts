// Cancelling an evaluation run.
import { and, eq } from "drizzle-orm";
import { evalRuns } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { AppError } from "../../errors";
import type { DomainContext } from "../../context";
import { getRunRow, getEvalRun, type RunDto } from "./reads";

/**
 * Cancels a run: a queued run is cancelled at once; a running one is flagged, and its job stops
 * between items and aborts the calls in flight (results already written stay). 409 when finished.
 */
export async function cancelEvalRun(ctx: DomainContext, id: string): Promise<RunDto> {
  const run = await getRunRow(ctx.db, ctx.projectId, id);
  const now = ctx.now?.() ?? new Date();
  const [queued] = await ctx.db
    .update(evalRuns)
    .set({ status: "cancelled", cancelRequested: true, finishedAt: now })
    .where(and(eq(evalRuns.id, run.id), eq(evalRuns.status, "queued")))
    .returning();
  if (!queued) {
    const [running] = await ctx.db
      .update(evalRuns)
      .set({ cancelRequested: true })
      .where(and(eq(evalRuns.id, run.id), eq(evalRuns.status, "running")))
      .returning();
    if (!running) throw new AppError("conflict", `Run ${run.id} is already ${run.status}.`, { status: run.status });
  }
  await recordAudit(ctx.db, {
    projectId: ctx.projectId,
    actor: ctx.actor,
    action: "eval_run.cancel",
    objectType: "eval_run",
    objectId: run.id,
  });
  return getEvalRun(ctx.db, ctx.projectId, run.id);
}
