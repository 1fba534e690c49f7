import { createEnvironment, environmentDto, listEnvironments } from "@/lib/release/environments";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/environments";

export const GET = route(endpoints.listEnvironments, async ({ db, project }) =>
  json(await listEnvironments(db, project.id)),
);

export const POST = route(endpoints.createEnvironment, async ({ db, domain, body }) =>
  json(await environmentDto(db, await createEnvironment(domain, body)), 201),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
