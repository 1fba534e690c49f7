// GET /api/v1/prompts/{name}/dependents?environment=: the prompts that include this one as an environment serves it. Admin key.
import { listDependents } from "@/lib/release/dependents";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";
import { dependentsQuery } from "@/lib/server/http/prompt-api";

export const GET = withApiKey(
  "admin",
  { query: dependentsQuery, action: "prompt.read" },
  async ({ db, project, params, query }) =>
    json({ dependents: await listDependents(db, project.id, params.name!, query.environment) }),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
