// GET /api/v1/prompts/{name}/shadow?environment=&version=&pairs=: how each candidate version of the
// environment's online rule answered sampled live inputs off the user's path, against the live version
// (paired differences, win/tie/loss, cost and latency, the day's budget); `version` adds its answers
// side by side. `environment` defaults to production, as for resolve and GET online-evaluation; one the
// project does not have is a 404 naming it. Admin key.
import { shadowComparison, shadowQuery as query } from "@/lib/evaluation/online/shadow-read";
import { shadowContract } from "@/lib/stats/contracts";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

export const GET = withApiKey(
  "admin",
  { query, response: shadowContract, action: "evaluation.read" },
  async ({ db, project, params, query }) =>
    json(await shadowComparison(db, project.id, params.name!, query.environment, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
