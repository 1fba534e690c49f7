// The evaluation run page (read model): the run, one page of its results (all, or the failed ones), and how
// its LLM judges agree with people's labels. Null when the project has no such run. The page renders it.
import type { Db } from "../../db/client";
import { isAppError } from "../errors";
import { getEvalRun, listEvalRunItems } from "../evaluation/runs";
import { runJudgeAgreement } from "../evaluation/runs/run-labels";

export async function runOverview(
  db: Db,
  projectId: string,
  id: string,
  query: { offset?: string; failed?: string },
  opts: { pageSize: number; previewChars: number },
) {
  const run = await getEvalRun(db, projectId, id).catch((e: unknown) => {
    if (isAppError(e) && e.code === "not_found") return null;
    throw e;
  });
  if (!run) return null;
  const offset = Math.max(0, Math.floor(Number(query.offset) || 0));
  const failed = query.failed === "1";
  const [page, { judges }] = await Promise.all([
    listEvalRunItems(
      db,
      projectId,
      run.id,
      { offset, limit: opts.pageSize, failed },
      { previewChars: opts.previewChars },
    ),
    runJudgeAgreement(db, projectId, run.id),
  ]);
  return { run, offset, failed, page, judges };
}
