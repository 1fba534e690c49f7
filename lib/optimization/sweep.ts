// Optimizations left queued without a job (createOptimization sends after commit): no worker would take
// one, and, as it waits for its turn (claim.ts), other projects' optimizations would wait behind it. The
// `optimization-sweep` cron sends those again; the singleton policy and the claim make one sent twice run
// once. The sweep itself is lib/jobs/stranded.ts, shared with evaluation runs.
import type { Db } from "../../db/client";
import {
  requeueStranded,
  STRANDED_AFTER_SECONDS,
  strandedRows,
  strandedSweep,
  type StrandedOptions,
} from "../jobs/stranded";

export { STRANDED_AFTER_SECONDS };
import type { EnqueueOptimization } from "./create";
import { enqueueOptimizationWith, optimizationJobRef } from "./job";

const optimizations = { table: "optimizations", job: optimizationJobRef.name } as const;

/** Queued optimizations older than `olderThanSeconds` with no job waiting, retrying or active, oldest first. */
export const strandedOptimizations = (db: Db, opts: StrandedOptions = {}) => strandedRows(db, optimizations, opts);

/** Sends the job of every stranded optimization; returns their ids. */
export const requeueStrandedOptimizations = (
  db: Db,
  enqueue: EnqueueOptimization,
  opts: { now?: Date; olderThanSeconds?: number } = {},
) => requeueStranded(db, optimizations, enqueue, opts);

export const optimizationSweep = (opts: { schedule?: string; olderThanSeconds?: number } = {}) =>
  strandedSweep(
    "optimization-sweep",
    optimizations,
    enqueueOptimizationWith,
    `Send the job of each optimization left queued without one for over ${STRANDED_AFTER_SECONDS} s (a process that stopped between creating it and queueing it).`,
    opts,
  );
