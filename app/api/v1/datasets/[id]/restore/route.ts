// POST /api/v1/datasets/{id}/restore {version?}: undo — a new dataset version with the items of an earlier one (default: the one before). Admin key.
import { restoreVersion, restoreVersionInput } from "@/lib/evaluation/datasets";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

export const POST = withApiKey("admin", { body: restoreVersionInput }, async ({ db, actor, project, params, body }) =>
  json(await restoreVersion({ db, actor, projectId: project.id }, params.id!, body.version), 201),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
