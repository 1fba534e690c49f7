// GET /api/v1/bundles/{name}/resolve?environment=: every member at one consistent state of the release log. Runtime key.
import { assertEnvironmentAllowed } from "@/lib/auth/api-keys";
import { resolveBundle } from "@/lib/runtime/bundle-resolve";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";
import { bundleResolveQuery } from "@/lib/server/http/prompt-api";

export const GET = withApiKey(
  "runtime",
  { query: bundleResolveQuery, action: "runtime.resolve" },
  async ({ db, actor, project, params, query, environments }) => {
    assertEnvironmentAllowed({ environments, name: actor.label }, query.environment);
    return json(await resolveBundle(db, project.id, params.name!, query.environment));
  },
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
