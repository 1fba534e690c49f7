// GET /api/v1/prompts (filter by tag, folder, search over names, descriptions and text, environment, status,
// owner, running experiment, open alert; sorted; paginated) and POST /api/v1/prompts (create, version 1). Admin key.
import { promptDto, promptListResponse, versionDto } from "@/lib/registry/dto";
import { createPrompt, createPromptInput, promptList } from "@/lib/registry/prompts";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";
import { getEvents } from "@/lib/server/wiring/events";
import { listPromptsQuery } from "@/lib/server/http/prompt-api";

export const GET = withApiKey(
  "admin",
  { query: listPromptsQuery, response: promptListResponse, action: "prompt.read" },
  async ({ db, project, query }) => json(await promptList(db, project.id, query)),
);

export const POST = withApiKey(
  "admin",
  { body: createPromptInput, action: "prompt.create" },
  async ({ db, actor, project, body }) => {
    const { prompt, version, warnings } = await createPrompt(
      { db, actor, projectId: project.id, events: await getEvents() },
      body,
    );
    return json(
      {
        prompt: promptDto(prompt),
        version: versionDto(version, { placement: { status: "draft", liveIn: [], wasLiveIn: [] } }),
        warnings,
      },
      201,
    );
  },
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
