// Cancelling an optimization: queued or running, it ends at once as `cancelled` (with who and why, and
// its audit row); a running one's job sees the status within a second and aborts its model calls in
// flight (execute.ts). What was spent stays counted; no draft is made. 409 once it has ended.
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { optimizations } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { unprocessable } from "../evaluation/unprocessable";
import type { DomainContext } from "../context";
import { parseInput as parseStrict } from "../validation";
import { getOptimization, type OptimizationDto } from "./reads";

export const cancelOptimizationInput = z
  .object({
    reason: z
      .string({ error: "reason must be a string" })
      .trim()
      .max(500, "reason must be at most 500 characters")
      .optional(),
  })
  .strict();

export type CancelOptimizationInput = z.input<typeof cancelOptimizationInput>;

export const parseCancelOptimizationInput = (input: unknown) =>
  unprocessable(parseStrict, cancelOptimizationInput, input ?? {});

const said = { budget_exhausted: "ended (budget exhausted)", completed: "completed", failed: "failed" } as const;

export async function cancelOptimization(
  ctx: DomainContext,
  id: string,
  input: CancelOptimizationInput = {},
): Promise<OptimizationDto> {
  const data = parseCancelOptimizationInput(input);
  const before = await getOptimization(ctx.db, ctx.projectId, id);
  const reason = data.reason || null;
  const cancelled = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(optimizations)
      .set({
        status: "cancelled",
        finishedAt: ctx.now?.() ?? new Date(),
        cancelledBy: ctx.actor.label,
        cancelReason: reason,
      })
      .where(
        and(
          eq(optimizations.id, before.id),
          eq(optimizations.projectId, ctx.projectId),
          inArray(optimizations.status, ["queued", "running"]),
        ),
      )
      .returning({ status: optimizations.status });
    if (!row) return false;
    await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "optimization.cancel",
      objectType: "optimization",
      objectId: before.id,
      before: { status: before.status, calls: before.calls, costUsd: before.costUsd },
      after: { status: "cancelled", ...(reason && { reason }) },
    });
    return true;
  });
  if (!cancelled) {
    const now = await getOptimization(ctx.db, ctx.projectId, id);
    throw new AppError(
      "conflict",
      `Optimization ${now.id} has already ${now.status === "cancelled" ? "been cancelled" : said[now.status as keyof typeof said]}; there is nothing to cancel.`,
      { status: now.status },
    );
  }
  return getOptimization(ctx.db, ctx.projectId, id);
}
