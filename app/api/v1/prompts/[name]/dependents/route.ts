import { listPromptDependents } from "@/lib/release/dependents";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/registry";

export const GET = route(endpoints.listPromptDependents, async ({ db, project, params, query }) =>
  json({ dependents: await listPromptDependents(db, project.id, params.name, query.environment) }),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
