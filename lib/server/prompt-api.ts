import "server-only";
import { z } from "zod";
import { listPromptsInput } from "@/lib/registry/prompts";

// Query and path schemas shared by the management routes and the OpenAPI document.
export const versionParam = z.coerce.number({ error: "version must be a number" }).int({ error: "version must be a whole number" }).positive({ error: "version must be positive" });
export const listPromptsQuery = listPromptsInput;
export const listVersionsQuery = z.object({ limit: z.coerce.number().int().min(1).max(5000).default(500) });
export const diffQuery = z.object({ against: versionParam.optional() });
export const deploymentsQuery = z.object({
  environment: z.string().optional(),
  at: z.iso.datetime({ offset: true, error: "at must be an ISO 8601 date-time, e.g. 2026-11-17T15:00:00Z" }).optional(),
  limit: z.coerce.number().int().min(1).max(2000).default(200),
});
