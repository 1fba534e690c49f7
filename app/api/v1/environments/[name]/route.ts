// GET /api/v1/environments/{name}; PATCH {protected?, requiresReview?, requiresLiveIn?, evaluationGate?: {dataset, minScore, maxDrop, datasetVersion?, scorers?} | null, autoPromote?: {minScore} | null}. Admin key.
import {
  environmentDetail,
  environmentDto,
  environmentRulesInput,
  updateEnvironmentRules,
} from "@/lib/release/environments";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";

export const GET = withApiKey("admin", { action: "prompt.read" }, async ({ db, project, params }) =>
  json(await environmentDetail(db, project.id, params.name!)),
);

export const PATCH = withApiKey(
  "admin",
  { body: environmentRulesInput },
  async ({ db, actor, project, params, body }) =>
    json(
      await environmentDto(db, await updateEnvironmentRules({ db, actor, projectId: project.id }, params.name!, body)),
    ),
);

export const { POST, PUT, DELETE } = otherMethods("GET", "PATCH");
