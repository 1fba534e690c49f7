// The durable job behind every evaluation run. pg-boss's `singleton` policy with the run id as
// singleton key keeps one active job per run across instances; the unique result rows make a retry
// (after a crash, an expiry or a graceful stop) resume without scoring anything twice.
import { defineJob, type JobOptions, type JobSender } from "../../jobs";
import { executeRun, failRun, RunInterrupted, type RunDeps } from "./execute";
import { evalRunJobRef } from "./job-ref";

export { evalRunJobRef };
/** How long a run whose project is at its limit of running runs waits before it is tried again. */
export const DEFER_SECONDS = 5;

export function evalRunJob(deps: Omit<RunDeps, "signal">, options: Partial<JobOptions> = {}) {
  return defineJob(
    evalRunJobRef,
    async (data, ctx) => {
      try {
        const outcome = await executeRun(ctx.db, data.runId, { ...deps, signal: ctx.signal, log: ctx.log });
        // The project is at its limit of running runs: this worker goes to other work (another
        // project's run), and this run comes back behind what is queued now.
        if (outcome.deferred)
          await ctx.jobs.send(evalRunJobRef, data, { singletonKey: data.runId, startAfter: DEFER_SECONDS });
        // A run that no longer exists is done with: retrying it would only delay real work.
        return outcome;
      } catch (e) {
        // The last attempt: record why, so the run does not stay "running" forever.
        if (!(e instanceof RunInterrupted) && ctx.job.retryCount >= ctx.job.retryLimit)
          await failRun(ctx.db, data.runId, (e as Error).message);
        throw e;
      }
    },
    options,
  );
}

/** An EnqueueRun for createEvalRun (RunStart.enqueue) that sends the job. */
export const enqueueWith =
  (jobs: JobSender) =>
  async (runId: string): Promise<void> => {
    await jobs.send(evalRunJobRef, { runId }, { singletonKey: runId });
  };
