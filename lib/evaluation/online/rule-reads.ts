// What the online evaluation API reads of one prompt's rule in an environment: its sampled outputs page by
// page, and its scores over time. Query schemas live here, once, for the routes and the OpenAPI document.
import { z } from "zod";
import type { Db } from "../../../db/client";
import { getOnlineEvaluation } from "./rules";
import { listSamples, sampleSchema } from "./scoring";

export { listSamplesInput } from "./scoring";
import { scoreSeries, seriesBuckets, seriesPointSchema, versionCountsSchema } from "./series";

const iso = z.iso.datetime({ offset: true });

/**
 * A rule as GET and PUT /api/v1/prompts/{name}/online-evaluation answer it (getOnlineEvaluation: ruleDto with the
 * prompt and its samples per version). Scorer specs, the shadow setting and the last decision are loose:
 * their keys are those of lib/scorers and contracts.ts.
 */
export const onlineRuleResponse = z.object({
  id: z.string(),
  prompt: z.string(),
  environment: z.string(),
  sampleRate: z.number(),
  scorers: z.array(z.looseObject({ name: z.string(), type: z.string() })),
  signals: z.array(z.string()),
  window: z.number().int(),
  minSamples: z.number().int(),
  alpha: z.number(),
  alert: z.object({ maxDrop: z.number() }).nullable(),
  rollback: z.object({ enabled: z.boolean(), maxDrop: z.number(), cooldownMinutes: z.number() }),
  shadow: z
    .looseObject({
      versions: z.array(z.number().int()),
      sampleRate: z.number(),
      maxCallsPerDay: z.number(),
      maxCostUsdPerDay: z.number().nullable(),
      connection: z.string().nullable(),
    })
    .nullable(),
  updatedAt: iso,
  lastCheck: z
    .looseObject({
      at: iso,
      level: z.enum(["none", "alert", "rollback"]),
      action: z.enum(["none", "alerted", "rolled_back", "withheld", "skipped", "waiting"]),
      reason: z.string(),
    })
    .nullable(),
  versions: z.array(versionCountsSchema),
});

/** The answer of GET /api/v1/prompts/{name}/online-evaluation/samples: a page, and the id to page on from. */
export const samplePageResponse = z.object({ data: z.array(sampleSchema), next: z.number().int().nullable() });

/** The answer of GET /api/v1/prompts/{name}/online-evaluation/series. */
export const seriesResponse = z.object({ bucket: z.enum(seriesBuckets), data: z.array(seriesPointSchema) });

/**
 * GET /api/v1/prompts/{name}/online-evaluation/samples: a version's sampled outputs (default: the first version
 * the rule has samples of), newest first, each with its scorers' scores and reasons; `next` pages on.
 */
export async function listOnlineSamples(
  db: Db,
  projectId: string,
  promptName: string,
  query: { environment: string; version?: number; before?: number; limit: number },
) {
  const rule = await getOnlineEvaluation(db, projectId, promptName, query.environment);
  const version = query.version ?? rule.versions[0]?.version;
  const data =
    version === undefined ? [] : await listSamples(db, rule.id, version, { limit: query.limit, before: query.before });
  return { data, next: data.length === query.limit ? data[data.length - 1]!.id : null };
}

export const seriesQuery = z.object({
  environment: z.string().min(1).max(36).default("production").describe("The environment whose rule is read"),
  bucket: z
    .enum(seriesBuckets, { error: "bucket must be hour or day" })
    .default("hour")
    .describe("The span of each point of the series"),
});

/** GET /api/v1/prompts/{name}/online-evaluation/series: mean score per version, time bucket and scorer. */
export async function onlineScoreSeries(
  db: Db,
  projectId: string,
  promptName: string,
  query: z.output<typeof seriesQuery>,
) {
  const rule = await getOnlineEvaluation(db, projectId, promptName, query.environment);
  return { bucket: query.bucket, data: await scoreSeries(db, rule.id, { bucket: query.bucket }) };
}
