// GET /api/v1/prompts/{name}: metadata, the latest version, and what each environment serves; PATCH {description?, tags?}. Admin key.
import { promptDto } from "@/lib/registry/dto";
import { updatePromptDetails, updatePromptDetailsInput } from "@/lib/registry/prompts";
import { promptDetailResponse } from "@/lib/release/dto";
import { promptDetail } from "@/lib/release/prompt-reads";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";

export const GET = withApiKey(
  "admin",
  { response: promptDetailResponse, action: "prompt.read" },
  async ({ db, project, params }) => json(await promptDetail(db, project.id, params.name!)),
);

export const PATCH = withApiKey(
  "admin",
  { body: updatePromptDetailsInput, action: "prompt.update" },
  async ({ db, actor, project, params, body }) =>
    json({ prompt: promptDto(await updatePromptDetails({ db, actor, projectId: project.id }, params.name!, body)) }),
);

export const { POST, PUT, DELETE } = otherMethods("GET", "PATCH");
