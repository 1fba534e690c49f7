// Runs left queued without a job (createEvalRun sends after commit): the `eval-run-sweep` cron sends those
// again; the job's singleton policy and the claim (claim.ts) make a run sent twice run once. The sweep
// itself is lib/jobs/stranded.ts, shared with optimizations.
import { STRANDED_AFTER_SECONDS, strandedOf } from "../../jobs/stranded";
import { enqueueWith } from "./job";
import { evalRunJobRef } from "./job-ref";

export { STRANDED_AFTER_SECONDS };

const runs = strandedOf(
  { table: "eval_runs", job: evalRunJobRef.name },
  {
    name: "eval-run-sweep",
    enqueueWith,
    description: `Send the job of each evaluation run left queued without one for over ${STRANDED_AFTER_SECONDS} s (a process that stopped between creating the run and queueing it).`,
  },
);

/** Runs queued for longer than `olderThanSeconds` with no job waiting, retrying or active, oldest first. */
export const strandedRuns = runs.rows;

/** Sends the job of every stranded run; returns their ids. */
export const requeueStrandedRuns = runs.requeue;

/** The cron that sends stranded runs' jobs again, every minute by default. */
export const evalRunSweep = runs.sweep;
