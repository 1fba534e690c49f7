// LangSmith's repos (prompts) and commits (versions) as its hub answers them: a repo is a Lectern prompt of this
// project (text or chat; skills are not prompts), a commit one of its versions not deleted, named by its stable
// hash (hub-names.ts). Shapes: the JS client's `Prompt` and `PromptCommit` (langsmith/schemas), with the fields
// LangSmith's REST API adds.
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../../db/client";
import { AppError } from "../../errors";
import { assertOwner, commitHashOf, namesOfRepo, repoHandleOf } from "./hub-names";

export type LsProject = { projectId: string; tenantHandle: string };

export type RepoRow = {
  id: string;
  name: string;
  description: string;
  tags: string[];
  created_at: Date | string;
  updated_at: Date | string;
  archived_at: Date | string | null;
  num_commits: number;
  last_version: number | null;
  /** A repo created through LangSmith's API that has no commit yet (db/schema/langsmith.ts): no prompt yet. */
  pending?: boolean;
};

const iso = (d: Date | string) => new Date(d).toISOString();

const visible = sql`not exists (select 1 from prompt_version_archives a where a.prompt_id = v.prompt_id and a.version = v.version)`;

/** The columns a repo answer needs, for prompts `p`. */
export const repoColumns = sql`p.id, p.name, p.description, p.tags, p.created_at, p.updated_at, p.archived_at,
  (select count(*)::int from prompt_versions v where v.prompt_id = p.id and ${visible}) as num_commits,
  (select max(v.version) from prompt_versions v where v.prompt_id = p.id and ${visible}) as last_version`;

/** The prompt a repo handle names (`owner` must be this project), or a 404 in LangSmith's words. */
export async function findRepo(db: Db, p: LsProject, owner: string, repo: string): Promise<RepoRow | undefined> {
  assertOwner(owner, p.tenantHandle);
  for (const name of namesOfRepo(repo)) {
    const [row] = await queryRows<RepoRow>(
      db,
      sql`select ${repoColumns} from prompts p
          where p.project_id = ${p.projectId} and p.name = ${name} and p.skill_name is null`,
    );
    if (row) return row;
  }
  const names = namesOfRepo(repo);
  const [waiting] = await queryRows<{ name: string; description: string; tags: string[]; created_at: Date | string }>(
    db,
    sql`select name, description, tags, created_at from langsmith_repos
        where project_id = ${p.projectId} and name in (${sql.join(
          names.map((n) => sql`${n}`),
          sql`, `,
        )})`,
  );
  if (!waiting) return undefined;
  return {
    ...waiting,
    id: pendingRepoId(p.projectId, waiting.name),
    updated_at: waiting.created_at,
    archived_at: null,
    num_commits: 0,
    last_version: null,
    pending: true,
  };
}

/** A repo without commits has no prompt yet: its id, stable, shaped as a UUID. */
function pendingRepoId(projectId: string, name: string): string {
  const h = createHash("sha256").update(`langsmith-repo:${projectId}:${name}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function getRepo(db: Db, p: LsProject, owner: string, repo: string): Promise<RepoRow> {
  const row = await findRepo(db, p, owner, repo);
  if (!row || row.archived_at)
    throw new AppError("not_found", `Repo ${owner}/${repo} not found.`, { field: "repo", repo });
  return row;
}

/** A repo as LangSmith answers one. */
export function repoDto(row: RepoRow, p: LsProject) {
  const handle = repoHandleOf(row.name);
  return {
    repo_handle: handle,
    description: row.description || null,
    readme: null,
    id: row.id,
    tenant_id: p.projectId,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    is_public: false,
    is_archived: row.archived_at !== null,
    tags: row.tags,
    original_repo_id: null,
    upstream_repo_id: null,
    owner: p.tenantHandle,
    full_name: `${p.tenantHandle}/${handle}`,
    num_likes: 0,
    num_downloads: 0,
    num_views: 0,
    liked_by_auth_user: false,
    last_commit_hash: row.last_version === null ? null : commitHashOf(row.id, row.last_version),
    num_commits: row.num_commits,
    original_repo_full_name: null,
    upstream_repo_full_name: null,
  };
}
export type RepoDto = ReturnType<typeof repoDto>;

export type CommitRow = { id: string; version: number; commit_message: string; created_at: Date | string };

/** A repo's commits, newest first, a page of them, and how many there are. */
export async function commitRows(db: Db, promptId: string, page: { limit: number; offset: number }) {
  const rows = await queryRows<CommitRow & { total: number }>(
    db,
    sql`select v.id, v.version, v.commit_message, v.created_at, count(*) over ()::int as total
        from prompt_versions v where v.prompt_id = ${promptId} and ${visible}
        order by v.version desc limit ${page.limit} offset ${page.offset}`,
  );
  return { rows, total: rows[0]?.total ?? 0 };
}

/** Every visible version number of a prompt (to find a commit by its hash). */
export async function versionNumbers(db: Db, promptId: string): Promise<number[]> {
  const rows = await queryRows<{ version: number }>(
    db,
    sql`select v.version from prompt_versions v where v.prompt_id = ${promptId} and ${visible} order by v.version desc`,
  );
  return rows.map((r) => r.version);
}

/** A commit as LangSmith lists one (its parent is the version before it). */
export function commitDto(repo: RepoRow, p: LsProject, c: CommitRow, parent: CommitRow | undefined, manifest: unknown) {
  return {
    id: c.id,
    manifest_id: c.id,
    repo_id: repo.id,
    parent_id: parent?.id ?? null,
    commit_hash: commitHashOf(repo.id, c.version),
    parent_commit_hash: parent ? commitHashOf(repo.id, parent.version) : null,
    created_at: iso(c.created_at),
    updated_at: iso(c.created_at),
    description: c.commit_message || null,
    full_name: `${p.tenantHandle}/${repoHandleOf(repo.name)}`,
    example_run_ids: [],
    num_downloads: 0,
    num_views: 0,
    manifest,
  };
}
