// The run comparison page (read model): the completed runs to pick from and, when two are picked, their
// paired comparison, or why they cannot be compared (another dataset version, a run that does not exist).
import type { Db } from "../../db/client";
import { isAppError } from "../errors";
import { compareEvalRuns, listEvalRuns } from "../evaluation/runs";

export async function compareOverview(
  db: Db,
  projectId: string,
  query: { a?: string; b?: string; regressions?: string },
  opts: { limit: number },
) {
  const regressionsOnly = query.regressions === "1";
  const runs = (await listEvalRuns(db, projectId, { status: "completed", limit: 200 })).filter(
    (r) => r.status === "completed",
  );
  let result: Awaited<ReturnType<typeof compareEvalRuns>> | null = null;
  let problem: string | null = null;
  if (query.a && query.b) {
    try {
      result = await compareEvalRuns(db, projectId, {
        a: query.a,
        b: query.b,
        regressions: regressionsOnly,
        limit: opts.limit,
      });
    } catch (e) {
      if (!isAppError(e)) throw e;
      problem = e.message;
    }
  }
  return { runs, regressionsOnly, result, problem };
}
