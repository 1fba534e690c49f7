// GET /api/v1/prompts/{name}/online-evaluation/samples?environment=&version=&before=&limit=: the sampled
// outputs of a version, newest first, each with its scorers' scores and reasons. Admin key.
import { listSamplesInput, ruleSamples } from "@/lib/evaluation/online/rule-reads";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

export const GET = withApiKey(
  "admin",
  { query: listSamplesInput, action: "evaluation.read" },
  async ({ db, project, params, query }) => json(await ruleSamples(db, project.id, params.name!, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
