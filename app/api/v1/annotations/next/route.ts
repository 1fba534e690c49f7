// GET /api/v1/annotations/next?rule=<id> | ?run=<id>: the next output this person has not labelled, of an
// online rule (the newest scored) or of an evaluation run (the first in dataset order), with the judges'
// rubrics and the label counts. Admin key.
import { nextOutputToLabel } from "@/lib/evaluation/judge-labels";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/evaluation";

export const GET = route(endpoints.nextOutputToLabel, async ({ domain, query }) =>
  json(await nextOutputToLabel(domain, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
