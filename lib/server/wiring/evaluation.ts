import "server-only";
import { enqueueWith, executeRun, type EnqueueRun } from "@/lib/evaluation/runs";
import { autoPromote } from "@/lib/release/auto-promote";
import { createRollout } from "@/lib/experiments/rollouts";
import { getDb } from "./db";
import { env } from "./env";
import { readyJobs, startJobQueue } from "../jobs/jobs";
import { log } from "./log";
import { modelsFor } from "./models";
import { getRuntime } from "./runtime";

/**
 * Queues an evaluation run's job. Without a job queue (it failed to start) the run still happens, in
 * this process, but it is then not durable: a restart leaves it running until it is started again.
 */
export const enqueueEvalRun: EnqueueRun = async (runId) => {
  const jobs = readyJobs() ?? (await startJobQueue());
  if (jobs) return enqueueWith(jobs)(runId);
  log.warn(`no job queue: evaluation run ${runId} runs in this process and will not survive a restart`);
  const db = await getDb();
  void executeRun(db, runId, {
    modelsFor,
    itemDeadlineMs: env().LECTERN_RUN_ITEM_DEADLINE_SECONDS * 1000,
    onCompleted: async (d, run) => autoPromote(d, run, (await getRuntime()).bus, createRollout),
    log,
  }).catch((e: Error) => log.error(`evaluation run ${runId} failed: ${e.message}`));
};

/** The limits createRun applies (LECTERN_RUNS_ACTIVE_PER_PROJECT). */
export const runLimits = () => ({ maxActivePerProject: env().LECTERN_RUNS_ACTIVE_PER_PROJECT });
