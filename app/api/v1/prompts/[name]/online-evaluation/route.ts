import { deleteOnlineEvaluation, getOnlineEvaluation, putOnlineEvaluation } from "@/lib/evaluation/online/rules";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/evaluation";

export const GET = route(endpoints.getOnlineEvaluation, async ({ db, project, params, query }) =>
  json(await getOnlineEvaluation(db, project.id, params.name, query.environment)),
);

// 422 naming the field, nothing written.
export const PUT = route(endpoints.putOnlineEvaluation, async ({ domain, params, body }) =>
  json(await putOnlineEvaluation(domain, params.name, body)),
);

export const DELETE = route(endpoints.deleteOnlineEvaluation, async ({ domain, params, query }) => {
  await deleteOnlineEvaluation(domain, params.name, query.environment);
  return new Response(null, { status: 204 });
});

export const { POST, PATCH } = otherMethods("GET", "PUT", "DELETE");
