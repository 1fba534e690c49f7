import { getPromptVersionDiff } from "@/lib/registry/versions";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/registry";

export const GET = route(endpoints.getPromptVersionDiff, async ({ db, project, params, query }) =>
  json(await getPromptVersionDiff(db, project.id, params.name, params.version, query.against)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
