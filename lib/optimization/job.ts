// The optimization job as senders know it, and its handler. pg-boss's `singleton` policy with the
// optimization's id as key keeps one active job per optimization, so one Meter owns its budget.
import { z } from "zod";
import { declareJob, defineJob, type JobOptions, type JobSender } from "../jobs/define";
import { executeOptimization, failOptimization, OptimizationInterrupted, type OptimizationDeps } from "./execute";

export const optimizationJobRef = declareJob("optimization", z.object({ optimizationId: z.uuid() }), {
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
        return await executeOptimization(ctx.db, optimizationId, { ...deps, signal: ctx.signal });
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
