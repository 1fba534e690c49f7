import "server-only";
import type { RunDeps } from "@/lib/evaluation/runs";
import { startRollout } from "@/lib/experiments/rollouts/rollouts";
import { autoPromote } from "@/lib/release/gates/auto-promote";
import { env } from "../wiring/env";
import { log } from "../wiring/log";
import { modelsFor } from "../wiring/models-wiring";
import { getRuntime } from "../wiring/runtime-wiring";

/**
 * What executing an evaluation run needs in this process, built once: for the `eval-run` job's workers
 * (jobs.ts) and for a run executed here when no queue runs (wiring/evaluation-wiring.ts). The job's queue and
 * retry policy (retries, backoff, expiry, concurrency) are declared once with the job (evalRunJobRef).
 */
export function evalRunDeps(): Omit<RunDeps, "signal"> {
  const config = env();
  return {
    modelsFor,
    // One project's runs cannot hold every worker, nor one item a worker for ever.
    maxRunningPerProject: config.LECTERN_RUNS_RUNNING_PER_PROJECT,
    itemDeadlineMs: config.LECTERN_RUN_ITEM_DEADLINE_SECONDS * 1000,
    onCompleted: async (db, run) => autoPromote(db, run, (await getRuntime()).bus, startRollout),
    log,
  };
}
