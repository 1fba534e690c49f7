import { listEvalRunItems } from "@/lib/evaluation/runs";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/eval-runs";

export const GET = route(endpoints.listEvalRunItems, async ({ db, project, params, query }) =>
  json(await listEvalRunItems(db, project.id, params.id, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
