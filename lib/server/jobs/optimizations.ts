import "server-only";
import type { OptimizationDeps } from "@/lib/optimization";
import { getDb } from "../wiring/db";
import { env } from "../wiring/env";
import { log } from "../wiring/log";
import { scorerModels } from "../wiring/models-wiring";

/**
 * What executing an optimization needs in this process, built once: for the `optimization` job's workers
 * (jobs.ts) and for one executed here when no queue runs (wiring/optimization-wiring.ts).
 */
export function optimizationDeps(): Omit<OptimizationDeps, "signal"> {
  return {
    modelsFor: async (projectId) => scorerModels(await getDb(), projectId),
    // One project's optimizations cannot hold every worker, and each project takes its turn.
    maxRunningPerProject: env().LECTERN_OPTIMIZATIONS_RUNNING_PER_PROJECT,
    log,
  };
}
