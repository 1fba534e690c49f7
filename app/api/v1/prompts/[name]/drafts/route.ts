// POST /api/v1/prompts/{name}/drafts {name, fromVersion?} (copy a version into a draft) and GET (open drafts). Admin key.
import { getPrompt } from "@/lib/registry/prompts";
import { createDraft, createDraftInput, listDrafts } from "@/lib/release/drafts";
import { draftDto } from "@/lib/release/dto";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";

export const POST = withApiKey("admin", { body: createDraftInput }, async ({ db, actor, project, params, body }) =>
  json(draftDto(await createDraft({ db, actor, projectId: project.id }, params.name!, body)), 201),
);

export const GET = withApiKey("admin", { action: "prompt.read" }, async ({ db, project, params }) => {
  const prompt = await getPrompt(db, project.id, params.name!);
  return json({ data: (await listDrafts(db, prompt.id)).map((r) => draftDto(r.draft, r.ownerName)) });
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
