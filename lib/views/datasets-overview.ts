// The datasets page (read model): the project's datasets, and the prompt names a new dataset can belong to.
import type { Db } from "../../db/client";
import { listDatasets } from "../evaluation/datasets";
import { listPromptRows } from "../registry/prompts";

export async function datasetsOverview(db: Db, projectId: string) {
  const [datasets, prompts] = await Promise.all([
    listDatasets(db, projectId),
    listPromptRows(db, projectId, { limit: 200 }),
  ]);
  return { datasets, promptNames: prompts.items.map((p) => p.name) };
}
