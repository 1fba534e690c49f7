// What the forms that choose scorers read: for each dataset, the facts the presets depend on (items with
// expected answers, the gates that use it, the demo's own scorers) and the presets that follow.
import type { DomainContext } from "../../context";
import { and, desc, eq, gt, isNull, lte, or, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { datasetItems, datasets, evalRuns, prompts as promptsTable } from "../../../db/schema";
import { connectionChoices } from "../../llm/connections";
import { listPromptRows } from "../../registry/prompts";
import { listEnvironmentRows } from "../../release/environments";
import { demoDatasetName, demoScorers } from "../demo-preset";
import { listDatasets } from "../datasets/datasets";
import { presetsForDataset, type ScorerPresetOffer } from "../../scorers/presets";

/** Per dataset of the project: its current items, and how many of them have an expected answer. */
async function expectedCounts(db: Db, projectId: string) {
  const rows = await db
    .select({
      id: datasetItems.datasetId,
      items: sql<number>`count(*)::int`,
      withExpected: sql<number>`(count(*) filter (where ${datasetItems.expected} is not null and ${datasetItems.expected} <> 'null'::jsonb))::int`,
    })
    .from(datasetItems)
    .innerJoin(datasets, eq(datasets.id, datasetItems.datasetId))
    .where(
      and(
        eq(datasets.projectId, projectId),
        lte(datasetItems.fromVersion, datasets.currentVersion),
        or(isNull(datasetItems.toVersion), gt(datasetItems.toVersion, datasets.currentVersion)),
      ),
    )
    .groupBy(datasetItems.datasetId);
  return new Map(rows.map((r) => [r.id, { items: Number(r.items), withExpected: Number(r.withExpected) }]));
}

const demoPreset = {
  label: `The demo's scorers (${demoScorers.map((s) => s.name).join(", ")})`,
  scorers: demoScorers,
};

/** The scorer presets of every dataset of a project, by dataset id. */
export async function scorerOffers(
  db: Db,
  projectId: string,
  judgeModel: string | null,
): Promise<Map<string, ScorerPresetOffer>> {
  const [rows, counts, envs] = await Promise.all([
    db
      .select({ id: datasets.id, name: datasets.name, scorers: datasets.scorers })
      .from(datasets)
      .where(eq(datasets.projectId, projectId)),
    expectedCounts(db, projectId),
    listEnvironmentRows(db, projectId),
  ]);
  return new Map(
    rows.map((d) => [
      d.id,
      presetsForDataset({
        ...(counts.get(d.id) ?? { items: 0, withExpected: 0 }),
        gates: envs
          .filter((e) => e.gateDatasetId === d.id && e.gateScorers)
          .map((e) => ({ environment: e.name, scorers: e.gateScorers })),
        // The dataset's own scorers (a .prompt.yml file's evaluators): what a run naming none uses.
        suggested: d.scorers?.length
          ? { label: `The dataset's scorers (${d.scorers.map((s) => s.name).join(", ")})`, scorers: d.scorers }
          : d.name === demoDatasetName
            ? demoPreset
            : null,
        judgeModel,
      }),
    ]),
  );
}

/** Completed runs on each dataset's current version: the baselines a pairwise judge can compare with. */
async function baselineChoices(db: Db, projectId: string) {
  const rows = await db
    .select({
      id: evalRuns.id,
      dataset: evalRuns.datasetId,
      prompt: promptsTable.name,
      version: evalRuns.version,
      score: evalRuns.score,
    })
    .from(evalRuns)
    .innerJoin(datasets, and(eq(datasets.id, evalRuns.datasetId), eq(datasets.currentVersion, evalRuns.datasetVersion)))
    .innerJoin(promptsTable, eq(promptsTable.id, evalRuns.promptId))
    .where(and(eq(evalRuns.projectId, projectId), eq(evalRuns.status, "completed")))
    .orderBy(desc(evalRuns.createdAt))
    .limit(200);
  return rows.map((r) => ({
    id: r.id,
    dataset: r.dataset,
    label: `${r.prompt} v${r.version}${r.score === null ? "" : ` · ${(r.score * 100).toFixed(1)}%`} · ${r.id.slice(0, 8)}`,
  }));
}

/** Everything the new-run form shows: prompts, datasets with their scorer presets, connections, baselines. */
export async function newRunFormData(ctx: DomainContext) {
  const { db, projectId } = ctx;
  const [prompts, datasetRows, connections, baselines] = await Promise.all([
    listPromptRows(db, projectId, { limit: 200 }),
    listDatasets(db, projectId),
    connectionChoices(ctx),
    baselineChoices(db, projectId),
  ]);
  const judgeModel = connections.find((c) => c.defaultModel)?.defaultModel ?? null;
  const offers = await scorerOffers(db, projectId, judgeModel);
  return {
    prompts: prompts.items.map((p) => ({ name: p.name, latest: p.latestVersion })),
    datasets: datasetRows.map((d) => ({
      id: d.id,
      name: d.name,
      prompt: d.prompt,
      items: d.items,
      // A dataset made since the offers were read starts from the checks on the answer itself.
      scorers: offers.get(d.id) ?? presetsForDataset({ items: d.items, withExpected: 0, gates: [], judgeModel }),
    })),
    connections: connections.map((c) => ({ id: c.id, name: c.name })),
    baselines,
    judgeModel,
  };
}

export type NewRunFormData = Awaited<ReturnType<typeof newRunFormData>>;
