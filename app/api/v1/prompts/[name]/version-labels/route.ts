import { listVersionLabels } from "@/lib/release/version-labels/version-label-dto";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/version-labels";

export const GET = route(endpoints.listVersionLabels, async ({ db, project, params }) =>
  json(await listVersionLabels(db, project.id, params.name)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
