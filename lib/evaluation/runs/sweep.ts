// Runs left queued without a job (createRun sends after commit): the `eval-run-sweep` cron sends those
// again; the job's singleton policy and the claim (claim.ts) make a run sent twice run once. The sweep
// itself is lib/jobs/stranded.ts, shared with optimizations.
import type { Db } from "../../../db/client";
import {
  requeueStranded,
  STRANDED_AFTER_SECONDS,
  strandedRows,
  strandedSweep,
  type StrandedOptions,
} from "../../jobs/stranded";
import type { EnqueueRun } from "./create";
import { enqueueWith } from "./job";
import { evalRunJobRef } from "./job-ref";

export { STRANDED_AFTER_SECONDS };

const runs = { table: "eval_runs", job: evalRunJobRef.name } as const;

/** Runs queued for longer than `olderThanSeconds` with no job waiting, retrying or active, oldest first. */
export const strandedRuns = (db: Db, opts: StrandedOptions = {}) => strandedRows(db, runs, opts);

/** Sends the job of every stranded run; returns their ids. */
export const requeueStrandedRuns = (
  db: Db,
  enqueue: EnqueueRun,
  opts: { now?: Date; olderThanSeconds?: number } = {},
) => requeueStranded(db, runs, enqueue, opts);

/** The cron that sends stranded runs' jobs again, every minute by default. */
export const evalRunSweep = (opts: { schedule?: string; olderThanSeconds?: number } = {}) =>
  strandedSweep(
    "eval-run-sweep",
    runs,
    enqueueWith,
    `Send the job of each evaluation run left queued without one for over ${STRANDED_AFTER_SECONDS} s (a process that stopped between creating the run and queueing it).`,
    opts,
  );
