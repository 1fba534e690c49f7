// POST /api/v1/eval-runs/{id}/cancel: stops a queued or running run (409 when it has finished). Admin key.
import { cancelRun } from "@/lib/evaluation/runs";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

export const POST = withApiKey("admin", {}, async ({ db, actor, project, params }) =>
  json(await cancelRun({ db, actor, projectId: project.id }, params.id!)),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
