// GET /api/v1/experiments/{id}/results[?lookbackDays=N][&phase=N]: per arm n, means and sd; per variant lift with its interval, p-value, chance to win, CUPED-adjusted beside it (look-back: N days, else the experiment's), deciding winner and verdict with the experiment's look-back (stored for the experiments list); SRM; progress; a verdict in plain words; the current phase unless ?phase= asks for another. Admin key. Read from DATABASE_READ_URL's replica when set (header Lectern-Replica-Lag-Seconds).
import { liveExperimentResults } from "@/lib/experiments/decisions";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/bundles";
import { getReadDb } from "@/lib/server/wiring/db";

export const GET = route(endpoints.getExperimentResults, async ({ db, project, params, query }) => {
  // The sums from a replica when one is configured; how far behind it was, in a header.
  const read = await getReadDb();
  const results = await liveExperimentResults(
    db,
    project.id,
    params.id,
    { lookbackDays: query.lookbackDays, phase: query.phase },
    undefined,
    read,
  );
  const lag = read.replicaLagSeconds;
  return json(results, 200, lag === null ? undefined : { "lectern-replica-lag-seconds": lag.toFixed(1) });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
