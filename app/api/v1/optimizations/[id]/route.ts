import { getOptimization } from "@/lib/optimization";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/optimizations";

export const GET = route(endpoints.getOptimization, async ({ db, project, params }) =>
  json(await getOptimization(db, project.id, params.id)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
