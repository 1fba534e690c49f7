// GET /api/v1/eval-runs/{id}: status, progress, score, per-scorer means, breakdowns, cost and tokens. Admin key.
import { getRun } from "@/lib/evaluation/runs";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

export const GET = withApiKey("admin", { action: "evaluation.read" }, async ({ db, project, params }) =>
  json(await getRun(db, project.id, params.id!)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
