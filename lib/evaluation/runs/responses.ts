// The JSON answers of the evaluation-run operations (reads.ts RunDto and listEvalRunItems, createEvalRun's row),
// as the API promises them; the test tiers check every answer against them (LECTERN_CHECK_RESPONSES).
// Dates are ISO strings; free-form jsonb (summaries, scorer outcomes, item inputs) is left open.
import { z } from "zod";

const int = z.number().int();
const date = z.iso.datetime({ offset: true });
const jsonObject = z.record(z.string(), z.unknown());
const runStatus = z.enum(["queued", "running", "completed", "unscored", "failed", "cancelled"]);
const progress = z.object({ done: int.min(0), total: int.min(0) });

/** A run (RunDto in JSON): GET /api/v1/eval-runs/{id}, its cancel, and each of the list. */
export const runSchema = z.object({
  id: z.string(),
  status: runStatus,
  prompt: z.string(),
  version: int,
  dataset: z.object({ id: z.string(), name: z.string(), version: int }),
  progress,
  score: z.number().nullable(),
  passRate: z.number().nullable(),
  scores: z.record(z.string(), z.number().nullable()),
  summary: jsonObject.nullable(),
  statistics: jsonObject.nullable(),
  scorers: z.array(z.looseObject({ name: z.string(), type: z.string() })),
  baseline: z.string().nullable(),
  repetitions: int,
  concurrency: int,
  connection: z.string().nullable(),
  /** The connection the run started on, as people read it (e.g. "Built-in scripted model (no network, for the demo)"). */
  connectionName: z.string().nullable(),
  environment: z.string().nullable(),
  partialVersions: z.record(z.string(), int).nullable(),
  costUsd: z.number(),
  tokens: z.object({ input: z.number(), output: z.number() }),
  error: z.string().nullable(),
  cancelRequested: z.boolean(),
  createdBy: z.string(),
  createdAt: date,
  startedAt: date.nullable(),
  finishedAt: date.nullable(),
});

/** GET /api/v1/eval-runs */
export const runListResponse = z.object({ data: z.array(runSchema) });

/** POST /api/v1/eval-runs (202): the run as queued. */
export const runQueuedResponse = z.object({ id: z.string(), status: runStatus, progress });

/** A run created (createEvalRun) as POST /api/v1/eval-runs answers it. */
export const queuedRunDto = (run: {
  id: string;
  status: z.input<typeof runStatus>;
  done: number;
  total: number;
}): z.input<typeof runQueuedResponse> => ({
  id: run.id,
  status: run.status,
  progress: { done: run.done, total: run.total },
});

/** GET /api/v1/eval-runs/{id}/items: a page of a run's results (listEvalRunItems). */
export const runItemsResponse = z.object({
  run: z.string(),
  total: int.min(0),
  offset: int.min(0),
  limit: int.min(1),
  items: z.array(
    z.object({
      itemId: z.string(),
      repetition: int.min(0),
      input: jsonObject,
      /** Absent when the item has no expected answer. */
      expected: z.unknown().optional(),
      tags: z.array(z.string()),
      output: z.string().nullable(),
      outputLength: z.number().nullable(),
      score: z.number().nullable(),
      passed: z.boolean(),
      /** Each scorer's outcome: name, score, passed, reason… */
      scores: z.array(z.looseObject({ name: z.string() })),
      latencyMs: z.number().nullable(),
      tokens: z.object({ input: z.number(), output: z.number() }),
      costUsd: z.number().nullable(),
      error: z.string().nullable(),
      spread: jsonObject.nullable(),
    }),
  ),
});
