// GET /api/v1/eval-runs/{id}/items[?offset=&limit=&failed=true]: per item input, expected, output, each scorer's score and reason. Admin key.
import { listRunItems, listRunItemsInput } from "@/lib/evaluation/runs";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

export const GET = withApiKey(
  "admin",
  { query: listRunItemsInput, action: "evaluation.read" },
  async ({ db, project, params, query }) => json(await listRunItems(db, project.id, params.id!, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
