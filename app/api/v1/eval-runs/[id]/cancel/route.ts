import { cancelEvalRun } from "@/lib/evaluation/runs";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/eval-runs";

export const POST = route(endpoints.cancelEvalRun, async ({ domain, params }) =>
  json(await cancelEvalRun(domain, params.id)),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
