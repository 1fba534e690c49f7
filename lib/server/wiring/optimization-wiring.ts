import "server-only";
import {
  DEFER_SECONDS,
  enqueueOptimizationWith,
  executeOptimization,
  type EnqueueOptimization,
  type OptimizationStart,
} from "@/lib/optimization";
import { getDb } from "./db";
import { env } from "./env";
import { readyJobs, startJobQueue } from "../jobs/jobs";
import { optimizationDeps } from "../jobs/optimizations";
import { log } from "./log";
import { callerResolver } from "./models-wiring";

/**
 * What createOptimization needs besides the input, built in one place for every caller (the REST route,
 * the UI's action): the job's sender, the project's limit and the server's largest budget, and where model
 * calls go (an optimization with no model to call is refused where it is started).
 */
export const optimizationStart = (): OptimizationStart => {
  const config = env();
  return {
    enqueue: enqueueOptimization,
    limits: {
      maxActivePerProject: config.LECTERN_OPTIMIZATIONS_ACTIVE_PER_PROJECT,
      maxBudget: { calls: config.LECTERN_OPTIMIZATION_MAX_CALLS, costUsd: config.LECTERN_OPTIMIZATION_MAX_COST_USD },
    },
    models: callerResolver(),
  };
};

/**
 * Queues an optimization's job. Without a job queue (it failed to start) it still runs, in this
 * process, but it is then not durable: a restart leaves it running.
 */
const enqueueOptimization: EnqueueOptimization = async (id) => {
  const jobs = readyJobs() ?? (await startJobQueue());
  if (jobs)
    // The optimization is committed: a send that fails now is not the request's failure (a retry would
    // make a second one). The optimization sweep sends it within a minute or two.
    return enqueueOptimizationWith(jobs)(id).catch((e: Error) =>
      log.warn(`optimization ${id} not queued (the optimization sweep will send it): ${e.message}`),
    );
  log.warn(`no job queue: optimization ${id} runs in this process and will not survive a restart`);
  runHere(id);
};

/** Executes an optimization in this process; one that must wait its turn is tried again later, as the job does. */
function runHere(id: string): void {
  void (async () => {
    const outcome = await executeOptimization(await getDb(), id, optimizationDeps());
    if (outcome.deferred) setTimeout(() => runHere(id), DEFER_SECONDS * 1000).unref?.();
  })().catch((e: Error) => log.error(`optimization ${id} failed: ${(e as Error).message}`));
}
