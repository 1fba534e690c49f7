// GET /api/v1/prompts/{name}/versions/{n}/diff?against={m}: the diff from m (default n-1) to n. Admin key.
import { versionDiff } from "@/lib/registry/versions";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";
import { diffQuery } from "@/lib/server/http/prompt-api";

export const GET = withApiKey(
  "admin",
  { query: diffQuery, action: "prompt.read" },
  async ({ db, project, params, query }) =>
    json(await versionDiff(db, project.id, params.name!, params.version, query.against)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
