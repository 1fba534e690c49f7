// GET /api/v1/prompts/{name}/stats?environment=&from=&to=: per version, generations, input and output tokens,
// cost, latency (mean, p50, p95), online scores and feedback, from the sums ingest and online evaluation keep
// (OTLP spans included): what the prompt page shows, for scripts. Admin key.
import { promptStats, promptStatsQuery as query } from "@/lib/views/prompt-stats";
import { promptStatsContract } from "@/lib/stats/contracts";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

export const GET = withApiKey(
  "admin",
  { query, response: promptStatsContract, action: "prompt.read" },
  async ({ db, project, params, query }) => json(await promptStats(db, project.id, params.name!, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
