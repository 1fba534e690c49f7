// The prompts page (read model): one page of the library with, per prompt, what each environment
// serves, who last edited it, its owner, and whether an experiment runs on it or an alert is open; and
// the filters' choices counted over the whole project.
import { inArray, sql } from "drizzle-orm";
import { readTogether, queryRows, type Db } from "../../db/client";
import { prompts } from "../../db/schema";
import { lastEdits, listPromptRows, promptFacets, type PromptListQuery } from "../registry/prompts";
import { liveVersionsMany } from "../release/deployments";
import { listEnvironmentRows } from "../release/environments";

export type PromptLibraryItem = {
  name: string;
  description: string;
  tags: string[];
  latestVersion: number;
  owner: string | null;
  live: { environment: string; version: number | null }[];
  lastEdit: { by: string; at: string } | null;
  runningExperiments: number;
  openAlerts: number;
};

export async function promptLibrary(db: Db, projectId: string, query: PromptListQuery) {
  const [list, facets, environments] = await readTogether(db, [
    () => listPromptRows(db, projectId, query),
    () => promptFacets(db, projectId),
    () => listEnvironmentRows(db, projectId),
  ]);
  const ids = list.items.map((p) => p.id);
  const [edits, live, flags] = await readTogether(db, [
    () => lastEdits(db, ids),
    () => liveVersionsMany(db, projectId, ids),
    () =>
      ids.length
        ? queryRows<{ id: string; experiments: number; alerts: number }>(
            db,
            sql`select prompts.id,
            (select count(*)::int from experiments x where x.prompt_id = prompts.id and x.status = 'running') as experiments,
            (select count(*)::int from alerts a where a.prompt_id = prompts.id and a.acknowledged_at is null) as alerts
          from ${prompts} where ${inArray(prompts.id, ids)}`,
          )
        : Promise.resolve([]),
  ]);
  const flagsOf = new Map(flags.map((f) => [f.id, f]));
  const items: PromptLibraryItem[] = list.items.map((p) => {
    const edit = edits.get(p.id);
    return {
      name: p.name,
      description: p.description,
      tags: p.tags,
      latestVersion: p.latestVersion,
      owner: p.owner ? p.owner.name || p.owner.email : null,
      live: live.get(p.id)!.map((e) => ({ environment: e.environment, version: e.live?.version ?? null })),
      lastEdit: edit ? { by: edit.by, at: edit.at.toISOString() } : null,
      runningExperiments: flagsOf.get(p.id)?.experiments ?? 0,
      openAlerts: flagsOf.get(p.id)?.alerts ?? 0,
    };
  });
  return {
    items,
    total: list.total,
    limit: list.limit,
    offset: list.offset,
    facets,
    environments: environments.map((e) => e.name),
  };
}
