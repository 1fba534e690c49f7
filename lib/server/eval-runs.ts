import "server-only";
import { enqueueWith, type EnqueueRun } from "@/lib/evaluation/runs";
import { AppError } from "@/lib/errors";
import { readyJobs, startJobQueue } from "./jobs";

/** Sends a run's job to this process's queue (started on demand); the run stays queued until a worker takes it. */
export const enqueueRun: EnqueueRun = async (runId) => {
  const jobs = readyJobs() ?? (await startJobQueue());
  if (!jobs) throw new AppError("unavailable", "The job queue is not running, so the run cannot start; see the server log.");
  await enqueueWith(jobs)(runId);
};
