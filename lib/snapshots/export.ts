// Reads a whole project into a snapshot: environments and their rules, every prompt (deleted ones
// too) with its full version history and its full deployment log, datasets and bundles. Read in one
// repeatable-read transaction so a save or promote running meanwhile is either wholly in the snapshot or not at all.
import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { readEach, queryRows, type Db } from "../../db/client";
import type { Content } from "../registry/content";
import { listEnvironmentRows, snapshotEnvironment } from "../release/environments";
import { listDatasets } from "../evaluation/datasets/datasets";
import { itemDto, itemsAtVersion } from "../evaluation/datasets/item-reads";
import {
  formatFor,
  supportedFormats,
  type ProjectSnapshot,
  type SnapshotBundle,
  type SnapshotDataset,
  type SnapshotDeployment,
  type SnapshotPrompt,
} from "./format";

/** A timestamptz as UTC text with all six fractional digits (a JavaScript Date would drop three). */
export const utcMicros = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

type PromptRow = {
  id: string;
  name: string;
  description: string;
  tags: string[];
  target_model: string | null;
  archived_at: string | null;
  created_at: string;
};
type VersionRow = {
  prompt_id: string;
  version: number;
  content: Content;
  commit_message: string;
  author: string;
  base_version: number | null;
  created_at: string;
};
type DeploymentRow = {
  prompt_id: string;
  environment: string;
  version: number;
  action: SnapshotDeployment["action"];
  actor: string;
  reason: string;
  at: string;
};

export async function readPrompts(db: Db, projectId: string) {
  return queryRows<PromptRow>(
    db,
    sql`select id, name, description, tags, target_model, ${utcMicros(sql`archived_at`)} as archived_at, ${utcMicros(sql`created_at`)} as created_at
        from prompts where project_id = ${projectId} order by name`,
  );
}

/** Deleted versions, by prompt. */
export async function readDeletedVersions(db: Db, projectId: string) {
  return queryRows<{ prompt_id: string; version: number }>(
    db,
    sql`select a.prompt_id, a.version from prompt_version_archives a join prompts p on p.id = a.prompt_id
        where p.project_id = ${projectId} order by a.prompt_id, a.version`,
  );
}

export async function readVersions(db: Db, projectId: string) {
  return queryRows<VersionRow>(
    db,
    sql`select v.prompt_id, v.version, v.content, v.commit_message, v.base_version, ${utcMicros(sql`v.created_at`)} as created_at,
               coalesce(nullif(v.author_label, ''), u.name, u.email, '') as author
        from prompt_versions v
        join prompts p on p.id = v.prompt_id
        left join users u on u.id = v.author_id
        where p.project_id = ${projectId}
        order by v.prompt_id, v.version`,
  );
}

export async function readDeployments(db: Db, projectId: string) {
  return queryRows<DeploymentRow>(
    db,
    sql`select d.prompt_id, e.name as environment, d.version, d.action, d.reason, ${utcMicros(sql`d.created_at`)} as at,
               coalesce(nullif(d.actor_label, ''), u.name, u.email, '') as actor
        from deployments d
        join prompts p on p.id = d.prompt_id
        join environments e on e.id = d.environment_id
        left join users u on u.id = d.actor_id
        where p.project_id = ${projectId}
        order by d.id`,
  );
}

/** Version labels of prompts that are not deleted, on versions that are not: what resolve by label can answer. */
export async function readVersionLabels(db: Db, projectId: string) {
  return queryRows<{ prompt_id: string; label: string; version: number }>(
    db,
    sql`select vl.prompt_id, vl.label, vl.version from version_labels vl join prompts p on p.id = vl.prompt_id
        where vl.project_id = ${projectId} and p.archived_at is null
          and not exists (select 1 from prompt_version_archives a where a.prompt_id = vl.prompt_id and a.version = vl.version)
        order by vl.prompt_id, vl.label`,
  );
}

/** Each bundle with its members' names in order, by bundle name. */
export async function readBundles(db: Db, projectId: string): Promise<SnapshotBundle[]> {
  return queryRows<SnapshotBundle>(
    db,
    sql`select b.name, b.description,
               coalesce(array_agg(p.name order by m.position) filter (where p.name is not null), '{}') as prompts
        from bundles b
        left join bundle_members m on m.bundle_id = b.id
        left join prompts p on p.id = m.prompt_id
        where b.project_id = ${projectId}
        group by b.id, b.name, b.description
        order by b.name`,
  );
}

function group<T extends { prompt_id: string }>(rows: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.prompt_id);
    if (list) list.push(r);
    else out.set(r.prompt_id, [r]);
  }
  return out;
}

/** Each dataset with the items of its current version (ids are not carried: an import makes new items). */
async function exportDatasets(tx: Db, projectId: string): Promise<SnapshotDataset[]> {
  const out: SnapshotDataset[] = [];
  for (const d of await listDatasets(tx, projectId)) {
    const items = (await itemsAtVersion(tx, d.id, d.version))
      .map(itemDto)
      .map(({ input, expected, tags, metadata }) => ({
        input,
        ...(expected !== undefined && { expected }),
        tags,
        metadata,
      }));
    out.push({ name: d.name, description: d.description, prompt: d.prompt, items });
  }
  return out;
}

const nullableObject = <T extends z.ZodRawShape>(shape: T) => z.object(shape).nullable();

/** GET /api/v1/snapshot: the whole project (format.ts describes each part; instants as UTC text, to the microsecond). */
export const snapshotExportResponse = z.object({
  format: z.enum(supportedFormats),
  exportedAt: z.string().optional(),
  project: z.object({ slug: z.string(), name: z.string() }).optional(),
  environments: z.array(
    z.object({
      name: z.string(),
      position: z.number().int(),
      protected: z.boolean(),
      requiresReview: z.boolean(),
      requiresLiveIn: z.string().nullable(),
      evaluationGate: nullableObject({ dataset: z.string(), minScore: z.number(), maxDrop: z.number() }),
      autoPromote: nullableObject({ minScore: z.number() }),
      requiresShadow: nullableObject({ minInputs: z.number().int() }),
      guardedRollout: nullableObject({ steps: z.array(z.unknown()).nullish() }),
    }),
  ),
  prompts: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      tags: z.array(z.string()),
      targetModel: z.string().nullable(),
      archivedAt: z.string().nullable(),
      createdAt: z.string(),
      versions: z.array(
        z.object({
          version: z.number().int(),
          content: z.unknown(),
          commitMessage: z.string(),
          author: z.string(),
          baseVersion: z.number().int().nullable(),
          createdAt: z.string(),
        }),
      ),
      deployments: z.array(
        z.object({
          environment: z.string(),
          version: z.number().int(),
          action: z.string(),
          actor: z.string(),
          reason: z.string(),
          at: z.string(),
        }),
      ),
      archivedVersions: z.array(z.number().int()),
      versionLabels: z.array(z.object({ label: z.string(), version: z.number().int() })),
    }),
  ),
  datasets: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      prompt: z.string().nullable(),
      items: z.array(z.unknown()),
    }),
  ),
  bundles: z.array(z.object({ name: z.string(), description: z.string(), prompts: z.array(z.string()) })),
});
const _snapshot: (s: ProjectSnapshot) => z.input<typeof snapshotExportResponse> = (s) => s;
void _snapshot;

export async function exportProjectSnapshot(
  db: Db,
  projectId: string,
  now: () => Date = () => new Date(),
): Promise<ProjectSnapshot> {
  return db.transaction(
    async (tx) => {
      const [project] = await queryRows<{ slug: string; name: string }>(
        tx,
        sql`select slug, name from projects where id = ${projectId}`,
      );
      const environments = await listEnvironmentRows(tx, projectId);
      const prompts = await readPrompts(tx, projectId);
      const versions = group(await readVersions(tx, projectId));
      const deployments = group(await readDeployments(tx, projectId));
      const deletions = group(await readDeletedVersions(tx, projectId));
      const labels = group(await readVersionLabels(tx, projectId));
      const bundles = await readBundles(tx, projectId);
      return {
        format: formatFor({ bundles }),
        exportedAt: now().toISOString(),
        project: project ? { slug: project.slug, name: project.name } : undefined,
        environments: await readEach(tx, environments, (e) => snapshotEnvironment(tx, e)),
        prompts: prompts.map((p): SnapshotPrompt => ({
          name: p.name,
          description: p.description,
          tags: p.tags,
          targetModel: p.target_model,
          archivedAt: p.archived_at,
          createdAt: p.created_at,
          versions: (versions.get(p.id) ?? []).map((v) => ({
            version: v.version,
            content: v.content,
            commitMessage: v.commit_message,
            author: v.author,
            baseVersion: v.base_version,
            createdAt: v.created_at,
          })),
          deployments: (deployments.get(p.id) ?? []).map((d) => ({
            environment: d.environment,
            version: d.version,
            action: d.action,
            actor: d.actor,
            reason: d.reason,
            at: d.at,
          })),
          archivedVersions: (deletions.get(p.id) ?? []).map((a) => a.version),
          versionLabels: (labels.get(p.id) ?? []).map((l) => ({ label: l.label, version: l.version })),
        })),
        datasets: await exportDatasets(tx, projectId),
        bundles,
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}
