// GET /api/v1/prompts/{name}/shadow?environment=&version=&pairs=: how each candidate version of the
// environment's online rule answered sampled live inputs off the user's path, against the live version
// (paired differences, win/tie/loss, cost and latency, the day's budget); `version` adds its answers
// side by side. Admin key.
import { z } from "zod";
import { shadowComparison } from "@/lib/evaluation/online/shadow-read";
import { shadowContract } from "@/lib/stats/contracts";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

const int = (field: string) =>
  z.coerce
    .number({ error: `${field} must be a whole number` })
    .int({ error: `${field} must be a whole number` })
    .positive({ error: `${field} must be positive` });
const query = z.object({
  environment: z.string().min(1).max(36).default("production"),
  version: int("version").max(2_147_483_647).optional(),
  pairs: int("pairs").max(100, { error: "pairs must be at most 100" }).default(20),
});

export const GET = withApiKey(
  "admin",
  { query, response: shadowContract, action: "evaluation.read" },
  async ({ db, project, params, query }) =>
    json(await shadowComparison(db, project.id, params.name!, query.environment, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
