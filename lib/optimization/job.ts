// The optimization job as senders know it, and its handler. pg-boss's `singleton` policy with the
// optimization's id as key keeps one active job per optimization, so one Meter owns its budget. A job
// whose optimization must wait (its project's share, another project's turn: claim.ts) gives its worker
// back and is sent again DEFER_SECONDS later, behind what is queued.
import { z } from "zod";
import { declareJob, defineJob, type JobOptions, type JobSender } from "../jobs/define";
import { OPTIMIZATION_JOB } from "./job-name";
import { executeOptimization, failOptimization, OptimizationInterrupted, type OptimizationDeps } from "./execute";

/** How long an optimization that must wait its turn waits before its job is tried again. */
export const DEFER_SECONDS = 10;

export const optimizationJobRef = declareJob(OPTIMIZATION_JOB, z.object({ optimizationId: z.uuid() }), {
  policy: "singleton",
  retryLimit: 2,
  retryDelay: 30,
  retryBackoff: true,
  expireInSeconds: 6 * 3600,
  concurrency: 1,
});

export function optimizationJob(deps: Omit<OptimizationDeps, "signal">, options: Partial<JobOptions> = {}) {
  return defineJob(
    optimizationJobRef,
    async ({ optimizationId }, ctx) => {
      try {
        const outcome = await executeOptimization(ctx.db, optimizationId, {
          log: ctx.log,
          ...deps,
          signal: ctx.signal,
        });
        if (outcome.deferred)
          await ctx.jobs.send(
            optimizationJobRef,
            { optimizationId },
            { singletonKey: optimizationId, startAfter: DEFER_SECONDS },
          );
        return outcome;
      } catch (e) {
        if (!(e instanceof OptimizationInterrupted) && ctx.job.retryCount >= ctx.job.retryLimit)
          await failOptimization(ctx.db, optimizationId, (e as Error).message);
        throw e;
      }
    },
    options,
  );
}

/** An EnqueueOptimization for createOptimization that sends the job. */
export const enqueueOptimizationWith = (jobs: JobSender) => async (id: string) => {
  await jobs.send(optimizationJobRef, { optimizationId: id }, { singletonKey: id });
};
