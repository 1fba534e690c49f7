// What the online evaluation API reads of one prompt's rule in an environment: its sampled outputs page by
// page, and its scores over time. Query schemas live here, once, for the routes and the OpenAPI document.
import { z } from "zod";
import type { Db } from "../../../db/client";
import { getOnlineRule } from "./rules";
import { listSamples } from "./scoring";

export { listSamplesInput } from "./scoring";
import { scoreSeries, seriesBuckets } from "./series";

/**
 * GET /api/v1/prompts/{name}/online-evaluation/samples: a version's sampled outputs (default: the first version
 * the rule has samples of), newest first, each with its scorers' scores and reasons; `next` pages on.
 */
export async function ruleSamples(
  db: Db,
  projectId: string,
  promptName: string,
  query: { environment: string; version?: number; before?: number; limit: number },
) {
  const rule = await getOnlineRule(db, projectId, promptName, query.environment);
  const version = query.version ?? rule.versions[0]?.version;
  const data =
    version === undefined ? [] : await listSamples(db, rule.id, version, { limit: query.limit, before: query.before });
  return { data, next: data.length === query.limit ? data[data.length - 1]!.id : null };
}

export const seriesQuery = z.object({
  environment: z.string().min(1).max(36).default("production"),
  bucket: z.enum(seriesBuckets, { error: "bucket must be hour or day" }).default("hour"),
});

/** GET /api/v1/prompts/{name}/online-evaluation/series: mean score per version, time bucket and scorer. */
export async function ruleSeries(db: Db, projectId: string, promptName: string, query: z.output<typeof seriesQuery>) {
  const rule = await getOnlineRule(db, projectId, promptName, query.environment);
  return { bucket: query.bucket, data: await scoreSeries(db, rule.id, { bucket: query.bucket }) };
}
