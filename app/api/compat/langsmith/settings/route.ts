import { lsSettings } from "@/lib/compat/langsmith/reads";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/langsmith";

export const GET = route(endpoints.langSmithSettings, async ({ project }) =>
  json(lsSettings({ projectId: project.id, tenantHandle: project.slug })),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
