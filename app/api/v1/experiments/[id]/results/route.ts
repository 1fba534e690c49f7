// GET /api/v1/experiments/{id}/results: per arm n, means and sd; per variant lift with its interval, p-value, chance to win, CUPED-adjusted beside it; SRM; progress; a verdict in plain words. Admin key.
import { experimentResults } from "@/lib/experiments/results";
import { json, otherMethods, withApiKey } from "@/lib/server/api";

export const GET = withApiKey("admin", { action: "experiment.read" }, async ({ db, project, params }) =>
  json(await experimentResults(db, project.id, params.id!)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
