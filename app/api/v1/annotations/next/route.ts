// GET /api/v1/annotations/next?rule=<id> | ?run=<id>: the next output this person has not labelled, of an
// online rule (the newest scored) or of an evaluation run (the first in dataset order), with the judges'
// rubrics and the label counts. Admin key.
import { labelSourceQuery, nextOutputToLabel } from "@/lib/evaluation/judge-labels";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

export const GET = withApiKey("admin", { query: labelSourceQuery }, async ({ db, actor, project, query }) =>
  json(await nextOutputToLabel({ db, actor, projectId: project.id }, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
