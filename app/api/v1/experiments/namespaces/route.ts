import { listExperimentNamespaces } from "@/lib/experiments/namespaces";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/experiments";

export const GET = route(endpoints.listExperimentNamespaces, async ({ db, project, query }) =>
  json({ data: await listExperimentNamespaces(db, project.id, query.name) }),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
