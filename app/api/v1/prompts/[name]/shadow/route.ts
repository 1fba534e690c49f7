import { shadowComparison } from "@/lib/evaluation/online/shadow/shadow-read";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/evaluation";

export const GET = route(endpoints.shadowComparison, async ({ db, project, params, query }) =>
  json(await shadowComparison(db, project.id, params.name, query.environment, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
