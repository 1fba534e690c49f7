// POST /api/v1/prompts/{name}/drafts {name, fromVersion?} (copy a version into a draft) and GET (open drafts). Admin key.
import { createDraft, createDraftInput } from "@/lib/release/drafts";
import { draftDto } from "@/lib/release/dto";
import { promptDrafts } from "@/lib/release/prompt-reads";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";

export const POST = withApiKey("admin", { body: createDraftInput }, async ({ db, actor, project, params, body }) =>
  json(draftDto(await createDraft({ db, actor, projectId: project.id }, params.name!, body)), 201),
);

export const GET = withApiKey("admin", { action: "prompt.read" }, async ({ db, project, params }) =>
  json(await promptDrafts(db, project.id, params.name!)),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
