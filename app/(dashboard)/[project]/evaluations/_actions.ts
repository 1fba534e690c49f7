"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { cancelRun, createRun, createRunInput, getRun, listRunItems } from "@/lib/evaluation/runs";
import { projectAction, type ActionContext } from "@/lib/server/http/action";
import { enqueueEvalRun, runLimits } from "@/lib/server/wiring/evaluation";

// Evaluation runs: thin callers of lib/evaluation/runs (which checks roles and validates scorers).

const domain = (c: ActionContext) => ({ db: c.db, actor: c.actor, projectId: c.project.id });

export const startRunAction = projectAction(createRunInput, async (c, input) => {
  const run = await createRun(domain(c), input, enqueueEvalRun, runLimits());
  revalidatePath(`/${c.project.slug}/evaluations`, "layout");
  return { id: run.id };
});

/** What the run page polls while a run is queued or running. */
export const runProgressAction = projectAction(z.object({ id: z.string().max(64) }), async (c, { id }) => {
  const r = await getRun(c.db, c.project.id, id);
  return {
    status: r.status,
    progress: r.progress,
    score: r.score,
    passRate: r.passRate,
    scores: r.scores,
    costUsd: r.costUsd,
    tokens: r.tokens,
    error: r.error,
    cancelRequested: r.cancelRequested,
  };
});

export const runItemsAction = projectAction(
  z.object({ id: z.string().max(64), offset: z.number().int().min(0), failed: z.boolean() }),
  async (c, { id, offset, failed }) => listRunItems(c.db, c.project.id, id, { offset, limit: 50, failed }),
);

export const cancelRunAction = projectAction(z.object({ id: z.string().max(64) }), async (c, { id }) => {
  const r = await cancelRun(domain(c), id);
  return { status: r.status };
});
