// How an optimization that ran to its end is written: with a draft and outcome "improved", or with outcome
// "no_improvement" and no draft; each in one transaction with its audit row, and only while it is still
// running (a cancel that came first wins).
import { noEvents } from "../announcements";
import { projectContext } from "../context";
import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { optimizations } from "../../db/schema";
import { recordAudit } from "../audit/record";
import type { Actor } from "../auth/permissions";
import { createDraft, updateDraft } from "../release/drafts/drafts";
import type { applyCandidate } from "./candidate";
import type { OptimizationResult } from "./contracts";
import type { OptimizationRow } from "./reads";

const optimizerActor = (row: OptimizationRow): Actor =>
  // The draft belongs to whoever started the optimization, acting with the role starting it required
  // (editor: draft.write); started with an API key, it is the system's, and any editor may take it on.
  row.createdBy
    ? { type: "user", id: row.createdBy, role: "editor", label: `${row.createdByLabel} (optimizer)` }
    : { type: "system", label: `Optimizer (started by ${row.createdByLabel || "an API key"})` };

/**
 * Completes the optimization with its audit row, only while it is still running; false when it no longer was
 * (a cancel came first).
 */
async function complete(
  tx: Db,
  row: OptimizationRow,
  actor: Actor,
  prompt: string,
  end: { outcome: "improved" | "no_improvement"; result: OptimizationResult; draftId?: string },
): Promise<boolean> {
  const done = await tx
    .update(optimizations)
    .set({ status: "completed", ...end, finishedAt: new Date() })
    .where(and(eq(optimizations.id, row.id), eq(optimizations.status, "running")))
    .returning({ id: optimizations.id });
  if (!done.length) return false;
  await recordAudit(tx, {
    projectId: row.projectId,
    actor,
    action: "optimization.complete",
    objectType: "optimization",
    objectId: row.id,
    after: {
      prompt,
      version: row.version,
      outcome: end.outcome,
      ...(end.draftId && { draft: end.draftId }),
      verdict: end.result.comparison?.verdict,
    },
  });
  return true;
}

/** Nothing better was found: the optimization completes with outcome no_improvement and no draft. */
export async function finishWithoutGain(db: Db, row: OptimizationRow, prompt: string, result: OptimizationResult) {
  const actor = optimizerActor(row);
  await db.transaction((tx) => complete(tx, row, actor, prompt, { outcome: "no_improvement", result }));
}

/** The draft, the optimization's end and its audit row, in one transaction. */
export async function makeDraft(
  db: Db,
  row: OptimizationRow,
  prompt: string,
  content: ReturnType<typeof applyCandidate>,
  result: OptimizationResult,
) {
  const actor = optimizerActor(row);
  await db.transaction(async (tx) => {
    const ctx = projectContext(tx, actor, row.projectId, noEvents); // a draft announces nothing
    const draft = await createDraft(ctx, prompt, {
      name: `Optimized v${row.version} (${row.id.slice(0, 8)})`,
      fromVersion: row.version,
    });
    await updateDraft(ctx, draft.id, { content });
    if (!(await complete(tx, row, actor, prompt, { outcome: "improved", result, draftId: draft.id })))
      throw new Error("the optimization was finished meanwhile");
  });
}
