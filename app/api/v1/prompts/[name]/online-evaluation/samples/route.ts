// GET /api/v1/prompts/{name}/online-evaluation/samples?environment=&version=&before=&limit=: the sampled
// outputs of a version, newest first, each with its scorers' scores and reasons. Admin key.
import { z } from "zod";
import { getOnlineRule } from "@/lib/evaluation/online/rules";
import { listSamples } from "@/lib/evaluation/online/scoring";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

const int = (field: string) =>
  z.coerce
    .number({ error: `${field} must be a whole number` })
    .int({ error: `${field} must be a whole number` })
    .positive({ error: `${field} must be positive` });
const query = z.object({
  environment: z.string().min(1).max(36).default("production"),
  version: int("version").max(2_147_483_647).optional(),
  before: int("before").optional(),
  limit: int("limit").max(200, { error: "limit must be at most 200" }).default(50),
});

export const GET = withApiKey("admin", { query, action: "evaluation.read" }, async ({ db, project, params, query }) => {
  const rule = await getOnlineRule(db, project.id, params.name!, query.environment);
  const version = query.version ?? rule.versions[0]?.version;
  const data =
    version === undefined ? [] : await listSamples(db, rule.id, version, { limit: query.limit, before: query.before });
  return json({ data, next: data.length === query.limit ? data[data.length - 1]!.id : null });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
