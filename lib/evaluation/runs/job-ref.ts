// The evaluation-run job as senders know it (its handler is bound in job.ts). A leaf module, so the
// dataset code that discards a deleted dataset's queued runs can name the job without an import cycle.
import { z } from "zod";
import { declareJob } from "../../jobs/define";

/**
 * pg-boss's `singleton` policy with the run id as singleton key keeps one active job per run across
 * instances; the unique result rows make a retry (after a crash, an expiry or a graceful stop) resume
 * without scoring anything twice.
 */
export const evalRunJobRef = declareJob("eval-run", z.object({ runId: z.uuid() }), {
  policy: "singleton",
  retryLimit: 5,
  retryDelay: 5,
  retryBackoff: true,
  expireInSeconds: 6 * 3600,
  concurrency: 2,
});
