// POST /api/v1/optimizations/{id}/cancel {reason?}: stops a queued or running optimization → 200 with status
// cancelled (409 once it has ended). Admin key; the role of starting one.
import { cancelOptimization } from "@/lib/optimization";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/optimizations";

export const POST = route(endpoints.cancelOptimization, async ({ domain, params, body }) =>
  json(await cancelOptimization(domain, params.id, body)),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
