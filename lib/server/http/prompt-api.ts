import "server-only";
import { z } from "zod";
import { listPromptsInput } from "@/lib/registry/prompts";
import { environmentNameSchema } from "@/lib/release/environments";
import { countParam, versionParam as versionParamOf } from "@/lib/registry/numbers";

// Query and path schemas shared by the management routes and the OpenAPI document.
export const listPromptsQuery = listPromptsInput;
export const listVersionsQuery = z.object({ limit: countParam("limit", 1, 5000).default(500) });
export const diffQuery = z.object({ against: versionParamOf("against").optional() });
export const deploymentsQuery = z.object({
  environment: z.string().optional(),
  at: z.iso.datetime({ offset: true, error: "at must be an ISO 8601 date-time, e.g. 2026-11-17T15:00:00Z" }).optional(),
  limit: countParam("limit", 1, 2000).default(200),
});
export const releasePlanQuery = z.object({ environment: environmentNameSchema.default("production") });
/** GET /api/v1/bundles/{name}/resolve: the environment (production by default). */
export const bundleResolveQuery = z.object({
  environment: environmentNameSchema.default("production"),
  subject: z.string().max(256, { error: "subject must be at most 256 characters" }).optional(),
});
/** GET …/dependents: in one environment, or (left out) in each of the project's. */
export const dependentsQuery = z.object({ environment: environmentNameSchema.optional() });
