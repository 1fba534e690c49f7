"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import {
  cancelEvalRun,
  createEvalRun,
  getEvalRun,
  listEvalRunItems,
  listRunItemsInput,
  parseCreateRunInput,
  queuedRunDto,
  type CreateRunRequest,
} from "@/lib/evaluation/runs";
import { actionFrom } from "@/lib/server/actions/action";
import * as evalRuns from "@/lib/server/http/endpoints/eval-runs";
import { runStart } from "@/lib/server/wiring/evaluation-wiring";

// Evaluation runs: thin callers of lib/evaluation/runs (which validates scorers; the permission is the endpoint's).

const id = z.string().max(64);

/** The form's run, through the API's own parser: bad input is 422 (unprocessable) naming the field here too. */
export const startRunAction = actionFrom(evalRuns.createEvalRun, z.custom<CreateRunRequest>(), async (c, input) => {
  const run = await createEvalRun(c.domain, parseCreateRunInput(input), runStart());
  revalidatePath(`/${c.project.slug}/evaluations`, "layout");
  return queuedRunDto(run);
});

/** What the run page polls while a run is queued or running. */
export const runProgressAction = actionFrom(evalRuns.getEvalRun, z.object({ id }), async (c, { id }) =>
  getEvalRun(c.db, c.project.id, id),
);

/** A page of the run's items (the API's query; the run page shows 50 at a time). */
export const runItemsAction = actionFrom(
  evalRuns.listEvalRunItems,
  listRunItemsInput.omit({ limit: true }).extend({ id }),
  async (c, { id, ...query }) => listEvalRunItems(c.db, c.project.id, id, { ...query, limit: 50 }),
);

export const cancelRunAction = actionFrom(evalRuns.cancelEvalRun, z.object({ id }), async (c, { id }) =>
  cancelEvalRun(c.domain, id),
);
