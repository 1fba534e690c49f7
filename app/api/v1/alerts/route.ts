import { listAlerts } from "@/lib/evaluation/online/alerts";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/platform";

export const GET = route(endpoints.listAlerts, async ({ db, project, query }) =>
  json({
    data: await listAlerts(db, project.id, { open: query.open === "true", prompt: query.prompt, limit: query.limit }),
  }),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
