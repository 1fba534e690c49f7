import { compareEvalRuns } from "@/lib/evaluation/runs";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/eval-runs";

export const GET = route(endpoints.compareEvalRuns, async ({ db, project, query }) =>
  json(await compareEvalRuns(db, project.id, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
