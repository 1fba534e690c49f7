import { getEvalRun } from "@/lib/evaluation/runs";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/eval-runs";

export const GET = route(endpoints.getEvalRun, async ({ db, project, params }) =>
  json(await getEvalRun(db, project.id, params.id)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
