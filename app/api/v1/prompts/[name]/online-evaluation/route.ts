// PUT /api/v1/prompts/{name}/online-evaluation {environment, sampleRate, scorers, signals, window, minSamples, alpha, alert, rollback}
// creates or replaces the rule of that environment; GET ?environment= (default production) returns it with
// its samples per version and the last check; DELETE ?environment= removes it. Admin key.
import { z } from "zod";
import {
  deleteOnlineRule,
  deleteOnlineRuleInput,
  getOnlineRule,
  parseOnlineRuleInput,
  saveOnlineRule,
} from "@/lib/evaluation/online/rules";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

const query = z.object({ environment: z.string().min(1).max(36).default("production") });

export const GET = withApiKey("admin", { query, action: "evaluation.read" }, async ({ db, project, params, query }) =>
  json(await getOnlineRule(db, project.id, params.name!, query.environment)),
);

// 422 naming the field, nothing written.
export const PUT = withApiKey(
  "admin",
  { body: parseOnlineRuleInput, action: "evaluation.manage" },
  async ({ db, actor, project, params, body }) =>
    json(await saveOnlineRule({ db, actor, projectId: project.id }, params.name!, body)),
);

export const DELETE = withApiKey(
  "admin",
  { query: deleteOnlineRuleInput, action: "evaluation.manage" },
  async ({ db, actor, project, params, query }) => {
    await deleteOnlineRule({ db, actor, projectId: project.id }, params.name!, query.environment);
    return new Response(null, { status: 204 });
  },
);

export const { POST, PATCH } = otherMethods("GET", "PUT", "DELETE");
