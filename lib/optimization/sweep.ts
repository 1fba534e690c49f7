// Optimizations left queued without a job (createOptimization sends after commit): no worker would take
// one, and, as it waits for its turn (claim.ts), other projects' optimizations would wait behind it. The
// `optimization-sweep` cron sends those again; the singleton policy and the claim make one sent twice run
// once. The sweep itself is lib/jobs/stranded.ts, shared with evaluation runs.
import { STRANDED_AFTER_SECONDS, strandedOf } from "../jobs/stranded";
import { enqueueOptimizationWith, optimizationJobRef } from "./job";

export { STRANDED_AFTER_SECONDS };

const optimizations = strandedOf(
  { table: "optimizations", job: optimizationJobRef.name },
  {
    name: "optimization-sweep",
    enqueueWith: enqueueOptimizationWith,
    description: `Send the job of each optimization left queued without one for over ${STRANDED_AFTER_SECONDS} s (a process that stopped between creating it and queueing it).`,
  },
);

/** Queued optimizations older than `olderThanSeconds` with no job waiting, retrying or active, oldest first. */
export const strandedOptimizations = optimizations.rows;

/** Sends the job of every stranded optimization; returns their ids. */
export const requeueStrandedOptimizations = optimizations.requeue;

/** The cron that sends stranded optimizations' jobs again, every minute by default. */
export const optimizationSweep = optimizations.sweep;
