// The answers of the Langfuse-compatible routes as zod schemas, for their declarations (lib/server/http/
// endpoints/langfuse.ts) and the response check of the test tiers: one version (langfuseRecord, mapping.ts)
// and the list (listLangfusePrompts, list.ts). Keys a Langfuse client reads are listed.
import { z } from "zod";

const instant = z.iso.datetime({ offset: true });
const versionNode = z.object({ name: z.string(), version: z.number().int(), id: z.string() });

/** A chat message as Langfuse returns it: a placeholder, or a role and its text (or parts). */
const langfuseMessage = z.union([
  z.object({ type: z.literal("placeholder"), name: z.string() }),
  z.object({ role: z.string(), content: z.union([z.string(), z.array(z.unknown())]) }),
]);

/** One prompt version (GET /api/public/v2/prompts/{name}, POST, PATCH …/versions/{version}). */
export const langfuseRecordSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  version: z.number().int().min(1),
  type: z.enum(["text", "chat"]),
  prompt: z.union([z.string(), z.array(langfuseMessage)]),
  config: z.record(z.string(), z.unknown()),
  labels: z.array(z.string()),
  tags: z.array(z.string()),
  commitMessage: z.string().nullable(),
  createdBy: z.string(),
  createdAt: instant,
  updatedAt: instant,
  isActive: z.boolean(),
  resolutionGraph: z.object({ root: versionNode, dependencies: z.record(z.string(), z.array(versionNode)) }).nullable(),
});

const langfusePageMeta = z.object({
  page: z.number().int(),
  limit: z.number().int(),
  totalItems: z.number().int(),
  totalPages: z.number().int(),
});

/** GET /api/public/v2/prompts: each prompt's matching versions and labels, with Langfuse's paging (twice). */
export const langfuseListResponse = z.object({
  data: z.array(
    z.object({
      name: z.string(),
      type: z.enum(["text", "chat"]),
      versions: z.array(z.number().int()),
      labels: z.array(z.string()),
      tags: z.array(z.string()),
      lastUpdatedAt: instant,
      lastConfig: z.record(z.string(), z.unknown()),
    }),
  ),
  meta: langfusePageMeta,
  pagination: langfusePageMeta,
});
