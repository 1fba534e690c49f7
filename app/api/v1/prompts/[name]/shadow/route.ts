// GET /api/v1/prompts/{name}/shadow?environment=&version=&pairs=: how each candidate version of the
// environment's online rule answered sampled live inputs off the user's path, against the live version
// (paired differences, win/tie/loss, cost and latency, the day's budget); `version` adds its answers
// side by side. `environment` defaults to production, as for resolve and GET online-evaluation; one the
// project does not have is a 404 naming it. Admin key.
import { shadowComparison } from "@/lib/evaluation/online/shadow-read";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/evaluation";

export const GET = route(endpoints.shadowComparison, async ({ db, project, params, query }) =>
  json(await shadowComparison(db, project.id, params.name, query.environment, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
