import "server-only";
import { DEFER_SECONDS, enqueueWith, executeRun, type EnqueueRun, type RunStart } from "@/lib/evaluation/runs";
import { getDb } from "./db";
import { env } from "./env";
import { evalRunDeps } from "../jobs/eval-runs";
import { readyJobs, startJobQueue } from "../jobs/jobs";
import { log } from "./log";
import { callerResolver } from "./models-wiring";

/**
 * What createEvalRun needs besides the input, built in one place for every caller that starts runs (the
 * REST route, the UI actions, "Run them"): the job's sender, the project's limit of active runs, and where
 * model calls go (a run with no model to call is refused where it is started).
 */
export const runStart = (): RunStart => ({
  enqueue: enqueueEvalRun,
  limits: { maxActivePerProject: env().LECTERN_RUNS_ACTIVE_PER_PROJECT },
  models: callerResolver(),
});

/**
 * Queues an evaluation run's job. Without a job queue (it failed to start) the run still happens, in
 * this process, but it is then not durable: a restart leaves it running (or, deferred, queued until a
 * queue's eval-run sweep sends it: lib/evaluation/runs/sweep.ts).
 */
const enqueueEvalRun: EnqueueRun = async (runId) => {
  const jobs = readyJobs() ?? (await startJobQueue());
  if (jobs)
    // The run is committed: a send that fails now is not the request's failure (a retry would make a
    // second run). The eval-run sweep sends it within a minute or two.
    return enqueueWith(jobs)(runId).catch((e: Error) =>
      log.warn(`evaluation run ${runId} not queued (the eval-run sweep will send it): ${e.message}`),
    );
  log.warn(`no job queue: evaluation run ${runId} runs in this process and will not survive a restart`);
  runHere(runId);
};

/**
 * Executes a run in this process with the job's settings; a run deferred by its project's limit of running
 * runs is tried again later, as the job does.
 */
function runHere(runId: string): void {
  void (async () => {
    const outcome = await executeRun(await getDb(), runId, evalRunDeps());
    if (outcome.deferred) setTimeout(() => runHere(runId), DEFER_SECONDS * 1000).unref?.();
  })().catch((e: Error) => log.error(`evaluation run ${runId} failed: ${e.message}`));
}
