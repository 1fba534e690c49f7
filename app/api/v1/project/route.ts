import { getKeyProject } from "@/lib/auth/projects";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/registry";

export const GET = route(endpoints.getKeyProject, async ({ db, project, scope }) =>
  json({ ...(await getKeyProject(db, project.id)), keyScope: scope }),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
