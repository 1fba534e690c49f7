// GET /api/v1/project: the key's project (slug, name, public id for Langfuse-compatible clients). Any key.
import { getProjectInfo } from "@/lib/auth/projects";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";

export const GET = withApiKey("runtime", {}, async ({ db, project, scope }) =>
  json({ ...(await getProjectInfo(db, project.id)), keyScope: scope }),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
