// Langfuse-compatible: GET /api/public/v2/prompts/{name}?label=&version= (label = environment, default production). HTTP Basic or Bearer.
import { langfuseGetQuery } from "@/lib/runtime/langfuse";
import { getLangfusePrompt } from "@/lib/runtime/langfuse-service";
import { assertKeyMayRead } from "@/lib/runtime/key-limits";
import { json, withApiKey, otherMethods } from "@/lib/server/api";

export const GET = withApiKey(
  "runtime",
  { query: langfuseGetQuery, action: "runtime.resolve" },
  async ({ db, project, params, query, environments }) => {
    const pinned = query.version !== undefined || query.label === "latest";
    await assertKeyMayRead(db, project.id, environments, {
      name: params.name!,
      environment: pinned ? undefined : (query.label ?? "production"),
      version: query.version,
      latest: query.label === "latest",
    });
    return json(await getLangfusePrompt(db, project.id, params.name!, query));
  },
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
