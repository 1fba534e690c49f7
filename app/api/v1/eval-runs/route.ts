import { createRun, listRuns } from "@/lib/evaluation/runs";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/eval-runs";
import { runStart } from "@/lib/server/wiring/evaluation";

export const GET = route(endpoints.listEvalRuns, async ({ db, project, query }) =>
  json({ data: await listRuns(db, project.id, query) }),
);

export const POST = route(endpoints.createEvalRun, async ({ domain, body }) => {
  const run = await createRun(domain, body, runStart());
  return json({ id: run.id, status: run.status, progress: { done: run.done, total: run.total } }, 202);
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
