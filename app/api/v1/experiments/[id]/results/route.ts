// GET /api/v1/experiments/{id}/results[?lookbackDays=N]: per arm n, means and sd; per variant lift with its interval, p-value, chance to win, CUPED-adjusted beside it (look-back: N days, else the experiment's), deciding winner and verdict with the experiment's look-back (stored for the experiments list); SRM; progress; a verdict in plain words. Admin key. Read from DATABASE_READ_URL's replica when set (header Lectern-Replica-Lag-Seconds).
import { resultsQueryInput } from "@/lib/experiments/definition";
import { liveExperimentResults } from "@/lib/experiments/decisions";
import { resultsContract } from "@/lib/stats/contracts";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";
import { getReadDb } from "@/lib/server/wiring/db";

export const GET = withApiKey(
  "admin",
  { query: resultsQueryInput, response: resultsContract, action: "experiment.read" },
  async ({ db, project, params, query }) => {
    // The sums from a replica when one is configured; how far behind it was, in a header.
    const read = await getReadDb();
    const results = await liveExperimentResults(
      db,
      project.id,
      params.id!,
      { lookbackDays: query.lookbackDays },
      undefined,
      read,
    );
    const lag = read.replicaLagSeconds;
    return json(results, 200, lag === null ? undefined : { "lectern-replica-lag-seconds": lag.toFixed(1) });
  },
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
