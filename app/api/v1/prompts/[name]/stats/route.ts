import { getPromptStats } from "@/lib/views/prompt-stats";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/registry";

export const GET = route(endpoints.getPromptStats, async ({ db, project, params, query }) =>
  json(await getPromptStats(db, project.id, params.name, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
