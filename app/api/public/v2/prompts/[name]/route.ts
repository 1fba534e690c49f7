// Langfuse-compatible: GET /api/public/v2/prompts/{name}?label=&version= (label = environment, default production). HTTP Basic or Bearer.
import { langfuseGetQuery } from "@/lib/runtime/langfuse";
import { getLangfusePrompt } from "@/lib/runtime/langfuse-service";
import { json, withApiKey } from "@/lib/server/api";

export const GET = withApiKey("runtime", { query: langfuseGetQuery, action: "runtime.resolve" }, async ({ db, project, params, query }) =>
  json(await getLangfusePrompt(db, project.id, params.name!, query)),
);
