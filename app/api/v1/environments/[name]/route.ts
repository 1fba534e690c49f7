import { environmentDetail, environmentDto, updateEnvironmentRules } from "@/lib/release/environments";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/environments";

export const GET = route(endpoints.getEnvironment, async ({ db, project, params }) =>
  json(await environmentDetail(db, project.id, params.name)),
);

export const PATCH = route(endpoints.updateEnvironment, async ({ db, domain, params, body }) =>
  json(await environmentDto(db, await updateEnvironmentRules(domain, params.name, body))),
);

export const { POST, PUT, DELETE } = otherMethods("GET", "PATCH");
