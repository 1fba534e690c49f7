// GET /api/v1/experiments/{id}/results[?lookbackDays=N]: per arm n, means and sd; per variant lift with its interval, p-value, chance to win, CUPED-adjusted beside it (look-back: N days, else the experiment's), deciding winner and verdict with the experiment's look-back (stored for the experiments list); SRM; progress; a verdict in plain words. Admin key.
import { resultsQueryInput } from "@/lib/experiments/definition";
import { liveExperimentResults } from "@/lib/experiments/decisions";
import { resultsContract } from "@/lib/stats/contracts";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

export const GET = withApiKey(
  "admin",
  { query: resultsQueryInput, response: resultsContract, action: "experiment.read" },
  async ({ db, project, params, query }) =>
    json(await liveExperimentResults(db, project.id, params.id!, { lookbackDays: query.lookbackDays })),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
