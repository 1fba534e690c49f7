// GET /api/v1/eval-runs/compare?a=&b=[&regressions=true&offset=&limit=]: two runs on the same dataset version, per item, paired per scorer, and a pairwise judge's wins, ties and losses when one is the other's baseline. Admin key.
import { compareInput, compareRuns } from "@/lib/evaluation/runs";
import { compareContract } from "@/lib/stats/contracts";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

export const GET = withApiKey(
  "admin",
  { query: compareInput, response: compareContract, action: "evaluation.read" },
  async ({ db, project, query }) => json(await compareRuns(db, project.id, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
