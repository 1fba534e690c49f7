// GET /api/v1/drafts/{id} (with diffs against its base and the latest), PUT {content, baseVersion?}, DELETE (discard). Admin key.
import { discardDraft, draftDiffs, updateDraft, updateDraftInput } from "@/lib/release/drafts";
import { draftDto } from "@/lib/release/dto";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";

export const GET = withApiKey("admin", { action: "prompt.read" }, async ({ db, project, params }) => {
  const d = await draftDiffs(db, project.id, params.id!);
  return json({
    ...draftDto(d.draft),
    base: d.base,
    latest: d.latest,
    diffAgainstBase: d.againstBase,
    diffAgainstLatest: d.againstLatest,
  });
});

export const PUT = withApiKey("admin", { body: updateDraftInput }, async ({ db, actor, project, params, body }) =>
  json(draftDto(await updateDraft({ db, actor, projectId: project.id }, params.id!, body))),
);

export const DELETE = withApiKey("admin", {}, async ({ db, actor, project, params }) => {
  await discardDraft({ db, actor, projectId: project.id }, params.id!);
  return json({ id: params.id, discarded: true });
});

export const { POST, PATCH } = otherMethods("GET", "PUT", "DELETE");
