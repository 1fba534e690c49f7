// GET /api/v1/prompts/{name}/online-evaluation/samples?environment=&version=&before=&limit=: the sampled
// outputs of a version, newest first, each with its scorers' scores and reasons. Admin key.
import { getOnlineRule } from "@/lib/evaluation/online/rules";
import { listSamples, listSamplesInput } from "@/lib/evaluation/online/scoring";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

export const GET = withApiKey(
  "admin",
  { query: listSamplesInput, action: "evaluation.read" },
  async ({ db, project, params, query }) => {
    const rule = await getOnlineRule(db, project.id, params.name!, query.environment);
    const version = query.version ?? rule.versions[0]?.version;
    const data =
      version === undefined
        ? []
        : await listSamples(db, rule.id, version, { limit: query.limit, before: query.before });
    return json({ data, next: data.length === query.limit ? data[data.length - 1]!.id : null });
  },
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
