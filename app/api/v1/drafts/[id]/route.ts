// GET /api/v1/drafts/{id} (with diffs against its base and the latest), PUT {content, baseVersion?}, DELETE (discard). Admin key.
import { discardDraft, updateDraft, updateDraftInput } from "@/lib/release/drafts";
import { draftDto } from "@/lib/release/dto";
import { draftDetail } from "@/lib/release/prompt-reads";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";

export const GET = withApiKey("admin", { action: "prompt.read" }, async ({ db, project, params }) =>
  json(await draftDetail(db, project.id, params.id!)),
);

export const PUT = withApiKey("admin", { body: updateDraftInput }, async ({ db, actor, project, params, body }) =>
  json(draftDto(await updateDraft({ db, actor, projectId: project.id }, params.id!, body))),
);

export const DELETE = withApiKey("admin", {}, async ({ db, actor, project, params }) => {
  await discardDraft({ db, actor, projectId: project.id }, params.id!);
  return json({ id: params.id, discarded: true });
});

export const { POST, PATCH } = otherMethods("GET", "PUT", "DELETE");
