// POST /api/v1/drafts/{id}/merge {commitMessage?}: merge a draft back as a new version (three-way; 409 with conflicts). Admin key.
import { versionDto } from "@/lib/registry/dto";
import { mergeDraft, mergeDraftInput } from "@/lib/release/drafts";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";
import { getEvents } from "@/lib/server/wiring/events";

export const POST = withApiKey("admin", { body: mergeDraftInput }, async ({ db, actor, project, params, body }) => {
  const r = await mergeDraft({ db, actor, projectId: project.id, events: await getEvents() }, params.id!, body);
  return json(
    {
      version: r.version.version,
      threeWay: r.threeWay,
      warnings: r.warnings,
      data: versionDto(r.version, { withDiff: true }),
    },
    201,
  );
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
