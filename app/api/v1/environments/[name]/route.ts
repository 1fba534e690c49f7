import { getEnvironment, environmentDto, updateEnvironment } from "@/lib/release/environments";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/environments";

export const GET = route(endpoints.getEnvironment, async ({ db, project, params }) =>
  json(await getEnvironment(db, project.id, params.name)),
);

export const PATCH = route(endpoints.updateEnvironment, async ({ db, domain, params, body }) =>
  json(await environmentDto(db, await updateEnvironment(domain, params.name, body))),
);

export const { POST, PUT, DELETE } = otherMethods("GET", "PATCH");
