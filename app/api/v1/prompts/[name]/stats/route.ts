// GET /api/v1/prompts/{name}/stats?environment=&from=&to=: per version, generations, input and output tokens,
// cost, latency (mean, p50, p95), online scores and feedback, from the sums ingest and online evaluation keep
// (OTLP spans included): what the prompt page shows, for scripts. Admin key.
import { promptStats } from "@/lib/views/prompt-stats";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/registry";

export const GET = route(endpoints.getPromptStats, async ({ db, project, params, query }) =>
  json(await promptStats(db, project.id, params.name, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
