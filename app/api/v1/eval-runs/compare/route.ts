// GET /api/v1/eval-runs/compare?a=&b=[&regressions=true&offset=&limit=]: two runs on the same dataset version, per item, paired per scorer, and a pairwise judge's wins, ties and losses when one is the other's baseline. Admin key.
import { compareRuns } from "@/lib/evaluation/runs";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/eval-runs";

export const GET = route(endpoints.compareEvalRuns, async ({ db, project, query }) =>
  json(await compareRuns(db, project.id, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
