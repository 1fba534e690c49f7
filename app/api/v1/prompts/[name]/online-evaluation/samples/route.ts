import { listOnlineSamples } from "@/lib/evaluation/online/rule-reads";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/evaluation";

export const GET = route(endpoints.listOnlineSamples, async ({ db, project, params, query }) =>
  json(await listOnlineSamples(db, project.id, params.name, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
