// GET /api/v1/prompts/{name}/versions/{n}/release-plan?environment=: what version n still needs before the environment may serve it. Admin key.
import { versionReleasePlan } from "@/lib/release/prompt-reads";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";
import { releasePlanQuery } from "@/lib/server/http/prompt-api";

export const GET = withApiKey(
  "admin",
  { query: releasePlanQuery, action: "prompt.read" },
  async ({ db, project, params, query }) =>
    json(await versionReleasePlan(db, project.id, params.name!, params.version, query.environment)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
