// GET /api/v1/audit?objectType=&objectId=&action=&before=&limit=: the audit log, newest first. Admin key.
import { z } from "zod";
import { AUDIT_ACTIONS } from "@/lib/audit/actions";
import { auditPage } from "@/lib/audit/record";
import { countParam } from "@/lib/registry/numbers";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";

const query = z.object({
  objectType: z.string().optional(),
  objectId: z.string().optional(),
  action: z.enum(AUDIT_ACTIONS, { error: "action must be one of the audited actions." }).optional(),
  before: countParam("before", 1, Number.MAX_SAFE_INTEGER).optional(),
  limit: countParam("limit", 1, 500).default(50),
});

export const GET = withApiKey("admin", { query, action: "audit.read" }, async ({ db, project, query }) =>
  json(await auditPage(db, project.id, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
