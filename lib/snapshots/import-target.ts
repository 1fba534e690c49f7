// The import target's state, read under locks: environments with their rules, every prompt with its
// versions, deleted versions and deployments, and the bundles with their members.
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { listEnvironmentRows, snapshotEnvironment } from "../release/environments";
import {
  readBundles,
  readDeletedVersions,
  readDeployments,
  readPrompts,
  readVersionLabels,
  readVersions,
} from "./export";
import type { TargetPrompt, TargetState } from "./snapshot-plan";

export async function readTarget(tx: Db, projectId: string): Promise<TargetState> {
  const environments = [];
  for (const e of await listEnvironmentRows(tx, projectId)) environments.push(await snapshotEnvironment(tx, e));
  // Lock every prompt row, as saves and deployments do, so none of them interleaves with the import.
  await tx.execute(sql`select id from prompts where project_id = ${projectId} order by id for update`);
  const rows = await readPrompts(tx, projectId);
  const byId = new Map<string, TargetPrompt>();
  for (const r of rows) {
    byId.set(r.id, {
      id: r.id,
      name: r.name,
      description: r.description,
      tags: r.tags,
      targetModel: r.target_model,
      archivedAt: r.archived_at,
      versions: [],
      deployments: [],
    });
  }
  for (const v of await readVersions(tx, projectId))
    byId.get(v.prompt_id)?.versions.push({ version: v.version, content: v.content });
  for (const a of await readDeletedVersions(tx, projectId)) {
    const t = byId.get(a.prompt_id);
    if (t) t.archivedVersions = [...(t.archivedVersions ?? []), a.version];
  }
  for (const l of await readVersionLabels(tx, projectId)) {
    const t = byId.get(l.prompt_id);
    if (t) t.versionLabels = [...(t.versionLabels ?? []), { label: l.label, version: l.version }];
  }
  for (const d of await readDeployments(tx, projectId))
    byId
      .get(d.prompt_id)
      ?.deployments.push({ environment: d.environment, version: d.version, action: d.action, at: d.at });
  return {
    environments,
    prompts: new Map([...byId.values()].map((p) => [p.name, p])),
    bundles: await readBundles(tx, projectId),
  };
}
