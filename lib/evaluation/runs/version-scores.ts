// Evaluation results per prompt version, for the prompt page's score badges and trend.
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { datasets, evalRuns } from "../../../db/schema";

export interface VersionScore {
  version: number;
  dataset: string;
  datasetId: string;
  datasetVersion: number;
  run: string;
  score: number | null;
  /** The score's 95% interval over items (null for runs finished before it was kept). */
  ci: [number, number] | null;
  passRate: number | null;
  finishedAt: Date | null;
}

/** The latest completed run of each version on each dataset (newest first). */
export async function versionScores(db: Db, promptId: string): Promise<VersionScore[]> {
  const rows = await db
    .selectDistinctOn([evalRuns.version, evalRuns.datasetId], {
      version: evalRuns.version,
      datasetId: evalRuns.datasetId,
      dataset: datasets.name,
      datasetVersion: evalRuns.datasetVersion,
      run: evalRuns.id,
      score: evalRuns.score,
      passRate: evalRuns.passRate,
      finishedAt: evalRuns.finishedAt,
      summary: evalRuns.summary,
    })
    .from(evalRuns)
    .innerJoin(datasets, eq(datasets.id, evalRuns.datasetId))
    .where(and(eq(evalRuns.promptId, promptId), eq(evalRuns.status, "completed")))
    .orderBy(desc(evalRuns.version), evalRuns.datasetId, desc(evalRuns.finishedAt));
  return rows.map(({ summary, ...r }) => ({ ...r, ci: summary?.statistics?.ci ?? null }));
}
