// GET /api/v1/prompts/{name}/online-evaluation/series?environment=&bucket=hour|day: mean score per version,
// time bucket and scorer ("score" is the weighted mean), for charts. Admin key.
import { z } from "zod";
import { getOnlineRule } from "@/lib/evaluation/online/rules";
import { scoreSeries, seriesBuckets } from "@/lib/evaluation/online/series";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

const query = z.object({
  environment: z.string().min(1).max(36).default("production"),
  bucket: z.enum(seriesBuckets, { error: "bucket must be hour or day" }).default("hour"),
});

export const GET = withApiKey("admin", { query, action: "evaluation.read" }, async ({ db, project, params, query }) => {
  const rule = await getOnlineRule(db, project.id, params.name!, query.environment);
  return json({ bucket: query.bucket, data: await scoreSeries(db, rule.id, { bucket: query.bucket }) });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
