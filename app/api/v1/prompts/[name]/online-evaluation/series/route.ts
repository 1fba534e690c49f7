// GET /api/v1/prompts/{name}/online-evaluation/series?environment=&bucket=hour|day: mean score per version,
// time bucket and scorer ("score" is the weighted mean), for charts. Admin key.
import { ruleSeries, seriesQuery } from "@/lib/evaluation/online/rule-reads";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

export const GET = withApiKey(
  "admin",
  { query: seriesQuery, action: "evaluation.read" },
  async ({ db, project, params, query }) => json(await ruleSeries(db, project.id, params.name!, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
