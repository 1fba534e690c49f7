import { listAuditLog } from "@/lib/audit/record";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/platform";

export const GET = route(endpoints.listAuditLog, async ({ db, project, query }) =>
  json(await listAuditLog(db, project.id, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
