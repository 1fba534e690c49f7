"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import {
  addItems,
  createDataset,
  createDatasetInput,
  datasetDto,
  importItems,
  removeItems,
  restoreDatasetVersion,
  restoreVersionInput,
  type RowError,
} from "@/lib/evaluation/datasets";
import { runGateRuns } from "@/lib/evaluation/runs";
import { isAppError } from "@/lib/errors";
import { actionFrom, projectAction, type ActionContext } from "@/lib/server/actions/action";
import { refreshing } from "../_action-bodies";
import * as evaluation from "@/lib/server/http/endpoints/evaluation";
import { runStart } from "@/lib/server/wiring/evaluation-wiring";

// Datasets: thin callers of lib/evaluation/datasets, which validates every row; the permission is the action's. The
// upload, the removal of several items, "Run them" and "save to dataset" are the UI's own operations.

const refresh = (c: ActionContext) => revalidatePath(`/${c.project.slug}/datasets`, "layout");
/** A change of a gate dataset's items changes release plans and gate status on other pages too. */
/** A dataset by id or name, as the API's path names it. */
const dataset = z.string().max(100);

export const createDatasetAction = actionFrom(evaluation.createDataset, createDatasetInput, async (c, input) => {
  const row = await createDataset(c.domain, input);
  refresh(c);
  return datasetDto(c.db, row);
});

/** A CSV or JSONL upload; a bad row fails the whole upload with every row's error (details.errors). */
export const importItemsAction = projectAction(
  "evaluation.run",
  z.object({ dataset, format: z.enum(["csv", "jsonl"]), text: z.string().max(20_000_000) }),
  async (c, input) => {
    try {
      const r = await importItems(c.domain, input.dataset, input.format, input.text);
      refresh(c);
      return { kind: "imported" as const, ...r };
    } catch (e) {
      // The per-row errors are the point of this answer: return them instead of a one-line failure.
      if (isAppError(e) && Array.isArray(e.details?.errors))
        return {
          kind: "invalid" as const,
          message: e.message,
          errors: e.details.errors as RowError[],
          totalErrors: Number(e.details.totalErrors ?? 0),
        };
      throw e;
    }
  },
);

/** The endpoint removes one item (its path names it); the page removes the selected ones in one version. */
export const removeItemsAction = actionFrom(
  evaluation.removeDatasetItem,
  z.object({ dataset, ids: z.array(z.string().max(64)).min(1).max(1000) }),
  refreshing((c, input) => removeItems(c.domain, input.dataset, input.ids)),
);

/** Undo: a new dataset version with an earlier version's items (default: the one before the current). */
export const restoreDatasetVersionAction = actionFrom(
  evaluation.restoreDatasetVersion,
  restoreVersionInput.extend({ dataset }),
  refreshing((c, input) => restoreDatasetVersion(c.domain, input.dataset, input.version)),
);

/** "Run them": the gate runs that versions need, for the gates using a dataset or one environment's gate. */
export const runGateRunsAction = projectAction(
  "evaluation.run",
  z.object({ dataset: z.uuid().optional(), environment: z.string().min(1).max(36).optional() }),
  refreshing((c, input) => runGateRuns(c.domain, input, runStart())),
);

/** The playground's "save to dataset": the variables as input, the output (edited or not) as expected. */
export const saveCaseAction = actionFrom(
  evaluation.addDatasetItems,
  z.object({
    dataset,
    input: z.record(z.string().max(64), z.unknown()),
    expected: z.string().max(100_000).optional(),
    tags: z.array(z.string().max(100)).max(20).default([]),
  }),
  async (c, input) => {
    const { version, added } = await addItems(
      c.domain,
      input.dataset,
      [
        {
          input: input.input,
          ...(input.expected !== undefined && input.expected !== "" && { expected: input.expected }),
          tags: input.tags,
          metadata: { source: "playground" },
        },
      ],
      { source: "playground" },
    );
    refresh(c);
    // REST's answer, field for field (addedItemsResponse): the new items' ids are not part of it.
    return { version, added };
  },
);
