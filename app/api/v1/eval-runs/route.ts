import { createEvalRun, listEvalRuns, queuedRunDto } from "@/lib/evaluation/runs";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/eval-runs";
import { runStart } from "@/lib/server/wiring/evaluation-wiring";

export const GET = route(endpoints.listEvalRuns, async ({ db, project, query }) =>
  json({ data: await listEvalRuns(db, project.id, query) }),
);

export const POST = route(endpoints.createEvalRun, async ({ domain, body }) => {
  const run = await createEvalRun(domain, body, runStart());
  return json(queuedRunDto(run), 202);
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
