import { restoreDatasetVersion } from "@/lib/evaluation/datasets";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/evaluation";

export const POST = route(endpoints.restoreDatasetVersion, async ({ domain, params, body }) =>
  json(await restoreDatasetVersion(domain, params.id, body.version), 201),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
