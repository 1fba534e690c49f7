import { getExperimentResults } from "@/lib/experiments/analysis/decisions";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/experiments";
import { getReadDb } from "@/lib/server/wiring/db";

export const GET = route(endpoints.getExperimentResults, async ({ db, project, params, query }) => {
  // The sums from a replica when one is configured; how far behind it was, in a header.
  const read = await getReadDb();
  const results = await getExperimentResults(
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
