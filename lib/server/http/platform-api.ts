import "server-only";
import { z } from "zod";
import { AUDIT_ACTIONS } from "@/lib/audit/actions";
import { countParam } from "@/lib/registry/numbers";

// Query strings of /api/v1/alerts and /api/v1/audit, shared by their declarations (endpoints/platform.ts).

export const alertsQuery = z.object({
  open: z.enum(["true", "false"], { error: "open must be true or false" }).optional(),
  prompt: z.string().min(1).max(200).optional(),
  limit: z.coerce
    .number({ error: "limit must be a whole number" })
    .int()
    .min(1)
    .max(500, { error: "limit must be at most 500" })
    .default(100),
});

export const auditQuery = z.object({
  objectType: z.string().optional(),
  objectId: z.string().optional(),
  action: z.enum(AUDIT_ACTIONS, { error: "action must be one of the audited actions." }).optional(),
  before: countParam("before", 1, Number.MAX_SAFE_INTEGER).optional(),
  limit: countParam("limit", 1, 500).default(50),
});
