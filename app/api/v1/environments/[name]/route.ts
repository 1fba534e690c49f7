// PATCH /api/v1/environments/{name} {protected?, requiresReview?, requiresLiveIn?, minEvalScore?}. Admin key.
import { environmentRulesInput, updateEnvironmentRules } from "@/lib/release/environments";
import { json, withApiKey, otherMethods } from "@/lib/server/api";

export const PATCH = withApiKey("admin", { body: environmentRulesInput }, async ({ db, actor, project, params, body }) => {
  const e = await updateEnvironmentRules({ db, actor, projectId: project.id }, params.name!, body);
  return json({ name: e.name, protected: e.protected, requiresReview: e.requiresReview, requiresLiveIn: e.requiresLiveIn, minEvalScore: e.minEvalScore });
});

export const { GET, POST, PUT, DELETE } = otherMethods("PATCH");
