// The evaluation runs page (read model): the newest runs, of one prompt when ?prompt= names one. A prompt
// that does not exist (a stale link, a typo) is the one expected miss: no runs, and `unknownPrompt` says
// which name, for the page to say so. Any other failure is an error, shown as one.
import type { Db } from "../../db/client";
import { listEvalRuns, type RunDto } from "../evaluation/runs";
import { findPrompt } from "../registry/prompts";

export async function runsOverview(
  db: Db,
  projectId: string,
  query: { prompt?: string },
  opts: { limit: number },
): Promise<{ runs: RunDto[]; unknownPrompt: string | null }> {
  const prompt = query.prompt || undefined;
  if (prompt && !(await findPrompt(db, projectId, prompt))) return { runs: [], unknownPrompt: prompt };
  return { runs: await listEvalRuns(db, projectId, { prompt, limit: opts.limit }), unknownPrompt: null };
}
