// POST /api/v1/eval-runs {prompt, version, dataset, datasetVersion?, scorers?, repetitions?, concurrency?, connection?, baseline?} → 202 {id, status: "queued"}
// and GET /api/v1/eval-runs[?prompt=&version=&dataset=&status=&limit=&offset=]. Admin key.
import { createRun, listRuns, listRunsInput, parseCreateRunInput } from "@/lib/evaluation/runs";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";
import { enqueueEvalRun, runLimits } from "@/lib/server/wiring/evaluation";

export const GET = withApiKey(
  "admin",
  { query: listRunsInput, action: "evaluation.read" },
  async ({ db, project, query }) => json({ data: await listRuns(db, project.id, query) }),
);

// The action is checked before the body, as createRun does (403 before 422).
export const POST = withApiKey(
  "admin",
  { body: parseCreateRunInput, action: "evaluation.run" },
  async ({ db, actor, project, body }) => {
    const run = await createRun({ db, actor, projectId: project.id }, body, enqueueEvalRun, runLimits());
    return json({ id: run.id, status: run.status, progress: { done: run.done, total: run.total } }, 202);
  },
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
