import { cancelOptimization } from "@/lib/optimization";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/optimizations";

export const POST = route(endpoints.cancelOptimization, async ({ domain, params, body }) =>
  json(await cancelOptimization(domain, params.id, body)),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
