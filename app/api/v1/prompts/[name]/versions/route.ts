import { createdVersionDto } from "@/lib/registry/dto";
import { createVersion } from "@/lib/registry/versions";
import { listVersions } from "@/lib/views/prompt-reads";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/registry";

export const GET = route(endpoints.listVersions, async ({ db, project, params, query }) =>
  json(await listVersions(db, project.id, params.name, query)),
);

export const POST = route(endpoints.createVersion, async ({ domain, params, body }) =>
  json(createdVersionDto(await createVersion(domain, params.name, body)), 201),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
