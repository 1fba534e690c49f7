import { getVersionReleasePlan } from "@/lib/views/prompt-reads";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/registry";

export const GET = route(endpoints.getVersionReleasePlan, async ({ db, project, params, query }) =>
  json(await getVersionReleasePlan(db, project.id, params.name, params.version, query.environment)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
