import "server-only";
import { enqueueOptimizationWith, executeOptimization, type EnqueueOptimization } from "@/lib/optimization";
import { getDb } from "./db";
import { readyJobs, startJobQueue } from "../jobs/jobs";
import { log } from "./log";
import { scorerModels } from "./models";

/**
 * Queues an optimization's job. Without a job queue (it failed to start) it still runs, in this
 * process, but it is then not durable: a restart leaves it running.
 */
export const enqueueOptimization: EnqueueOptimization = async (id) => {
  const jobs = readyJobs() ?? (await startJobQueue());
  if (jobs) return enqueueOptimizationWith(jobs)(id);
  log.warn(`no job queue: optimization ${id} runs in this process and will not survive a restart`);
  const db = await getDb();
  void executeOptimization(db, id, { modelsFor: (projectId) => scorerModels(db, projectId) }).catch((e: unknown) =>
    log.error(`optimization ${id} failed: ${(e as Error).message}`),
  );
};
