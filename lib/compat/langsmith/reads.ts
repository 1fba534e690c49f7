// The hub's reads as LangSmith's clients make them: settings (the tenant handle), listPrompts, getPrompt /
// promptExists, listCommits and pullPromptCommit. A pull reads through lib/runtime's resolve (its cache): `latest`
// is the newest version, a commit hash (or its first 8+ digits) that version, any other reference a tag — an
// environment (what it serves, the experiment's control arm without a subject) or else a version label. A key
// limited to some environments pulls by those tags only, as resolve lets it.
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows, type Db } from "../../../db/client";
import { AppError, isAppError } from "../../errors";
import type { TemplateContent } from "../../registry/content";
import { findLabelTarget } from "../../release/version-labels/version-labels";
import { choose, type ResolveRuntime } from "../../runtime/answer";
import { assertKeyMayRead } from "../../runtime/key-limits";
import type { ResolvedPrompt } from "../../runtime/load";
import { resolvePrompt, toContent } from "../../runtime/resolve";
import { renderOptionsFor } from "../../runtime/render-as-served";
import { versionManifest } from "./manifest";
import { commitHashOf, versionOfCommit } from "./hub-names";
import {
  commitDto,
  commitRows,
  getRepo,
  repoColumns,
  repoDto,
  versionNumbers,
  type LsProject,
  type RepoRow,
} from "./repos";

export type LsRuntime = Pick<ResolveRuntime, "prompts" | "sticky" | "exposures">;
/** What a read needs: the database, resolve's runtime, the project (and its handle) and the key's limits. */
export type LsReadDeps = LsProject & { db: Db; runtime: LsRuntime; allowed: string[] | null };

/** GET /settings: the tenant whose handle the clients compare owners with (the project's slug). */
export const lsSettings = (p: LsProject) => ({
  id: p.projectId,
  display_name: p.tenantHandle,
  tenant_handle: p.tenantHandle,
  is_personal: false,
});

const page = {
  limit: z.coerce.number().int().min(1).max(100).default(100).describe("At most this many (1–100)"),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe("Skip this many"),
};

export const lsListReposQuery = z.object({
  ...page,
  query: z.string().max(255).optional().describe("Only repos whose name or description holds this"),
  is_archived: z.enum(["true", "false"]).optional().describe("true: only archived prompts; else only the others"),
  is_public: z.enum(["true", "false"]).optional().describe("true: none (Lectern's prompts are the project's)"),
  sort_field: z.string().max(40).optional().describe("updated_at (the default), or any other: by name"),
  sort_direction: z.enum(["asc", "desc"]).optional().describe("asc or desc (the default)"),
});
export type LsListReposQuery = z.infer<typeof lsListReposQuery>;

export const lsPageQuery = z.object(page);
export const lsPullQuery = z.object({
  include_model: z
    .enum(["true", "false"])
    .optional()
    .describe("true: the prompt and its model (OpenAI's or Anthropic's) as a RunnableSequence"),
});

/** GET /repos: this project's prompts (skills are not), newest change first. */
export async function listRepos(deps: LsReadDeps, q: LsListReposQuery) {
  if (q.is_public === "true") return { repos: [], total: 0 };
  // LangSmith's archived repos are Lectern's deleted prompts.
  const deleted = q.is_archived === "true" ? sql`p.archived_at is not null` : sql`p.archived_at is null`;
  const query = q.query
    ? sql`and (position(lower(${q.query}) in lower(p.name)) > 0 or position(lower(${q.query}) in lower(p.description)) > 0)`
    : sql``;
  const dir = q.sort_direction === "asc" ? sql`asc` : sql`desc`;
  const order = (q.sort_field ?? "updated_at") === "updated_at" ? sql`p.updated_at ${dir}, p.name` : sql`p.name ${dir}`;
  const rows = await queryRows<RepoRow & { total: number }>(
    deps.db,
    sql`select ${repoColumns}, count(*) over ()::int as total from prompts p
        where p.project_id = ${deps.projectId} and p.skill_name is null and ${deleted} ${query}
        order by ${order} limit ${q.limit} offset ${q.offset}`,
  );
  return { repos: rows.map((r) => repoDto(r, deps)), total: rows[0]?.total ?? 0 };
}

/** GET /repos/{owner}/{repo}: `{repo}`, or a 404 (the client's getPrompt answers null, promptExists false). */
export async function readRepo(deps: LsReadDeps, owner: string, repo: string) {
  return { repo: repoDto(await getRepo(deps.db, deps, owner, repo), deps) };
}

/** A resolved version's template content, partial texts and declared variables, as the manifest needs them. */
function manifestOf(arm: ResolvedPrompt, includeModel = false) {
  if (arm.type === "skill")
    throw new AppError("unprocessable", `${arm.name} is a skill (a folder of files), not a prompt.`, { type: "skill" });
  const opts = renderOptionsFor(arm);
  const declared = [...arm.variables, ...Object.values(opts.declared ?? {}).flat()].filter(
    (v, i, all) => all.findIndex((w) => w.name === v.name) === i,
  );
  return versionManifest(toContent(arm) as TemplateContent, opts.partials ?? {}, declared, { includeModel });
}

/** One version, pinned: partials as the key's first environment (else production) serves them. */
async function pinned(deps: LsReadDeps, name: string, version: number): Promise<ResolvedPrompt> {
  const environment = deps.allowed?.[0] ?? "production";
  const { db, runtime, projectId } = deps;
  return (await resolvePrompt({ db, cache: runtime.prompts }, projectId, { name, environment, version })).resolved;
}

const isMissingEnvironment = (e: unknown) => isAppError(e) && e.details?.field === "environment";

/** What a tag serves: an environment's version (through resolve's cache), else the version a version label names. */
async function tagged(deps: LsReadDeps, repo: RepoRow, tag: string): Promise<ResolvedPrompt> {
  const { db, runtime, projectId, allowed } = deps;
  const name = repo.name;
  if (!allowed || allowed.includes(tag)) {
    try {
      const { resolved } = await resolvePrompt({ db, cache: runtime.prompts }, projectId, { name, environment: tag });
      return (await choose(runtime, resolved, undefined)).arm;
    } catch (e) {
      if (!isMissingEnvironment(e)) throw e;
    }
  }
  const target = await findLabelTarget(db, projectId, repo.id, tag);
  if (target?.kind === "environment") await assertKeyMayRead(db, projectId, allowed, { name, environment: tag });
  if (target?.kind !== "version")
    throw new AppError(
      "not_found",
      `No commit or tag ${tag} in ${name}: a tag is one of Lectern's environments or a version label, a commit a version's hash (8 or more of its digits).`,
      { field: "commit", commit: tag },
    );
  await assertKeyMayRead(db, projectId, allowed, { name, version: target.version });
  return pinned(deps, name, target.version);
}

/** GET /commits/{owner}/{repo}/{ref}: `{commit_hash, manifest, examples}` as pullPromptCommit reads it. */
export async function pullCommit(deps: LsReadDeps, owner: string, repo: string, ref: string, includeModel: boolean) {
  const row = await getRepo(deps.db, deps, owner, repo);
  const { db, projectId, allowed } = deps;
  let arm: ResolvedPrompt;
  if (ref === "latest") {
    await assertKeyMayRead(db, projectId, allowed, { name: row.name, latest: true });
    if (row.last_version === null) throw new AppError("not_found", `${row.name} has no commits.`, { field: "repo" });
    arm = await pinned(deps, row.name, row.last_version);
  } else {
    const version = versionOfCommit(row.id, await versionNumbers(db, row.id), ref);
    if (version !== undefined) {
      await assertKeyMayRead(db, projectId, allowed, { name: row.name, version });
      arm = await pinned(deps, row.name, version);
    } else arm = await tagged(deps, row, ref);
  }
  return { commit_hash: commitHashOf(row.id, arm.version), manifest: manifestOf(arm, includeModel), examples: [] };
}

/** GET /commits/{owner}/{repo}: the repo's commits, newest first, each with its manifest (null if refused). */
export async function listCommits(deps: LsReadDeps, owner: string, repo: string, q: z.infer<typeof lsPageQuery>) {
  const row = await getRepo(deps.db, deps, owner, repo);
  if (deps.allowed)
    throw new AppError(
      "forbidden",
      `This API key may only read ${deps.allowed.join(", ")}: pull by one of them as a tag (${repo}:${deps.allowed[0]}), not the commit history.`,
      { allowed: deps.allowed },
    );
  // One more than the page: the oldest commit's parent.
  const { rows, total } = await commitRows(deps.db, row.id, { limit: q.limit + 1, offset: q.offset });
  const commits = [];
  for (const [i, c] of rows.slice(0, q.limit).entries()) {
    let manifest: unknown = null;
    try {
      manifest = manifestOf(await pinned(deps, row.name, c.version));
    } catch (e) {
      if (!isAppError(e) || e.code !== "unprocessable") throw e;
    }
    commits.push(commitDto(row, deps, c, rows[i + 1], manifest));
  }
  return { commits, total };
}

/** GET /repos/{owner}/{repo}/tags: the environments and version labels naming a version of the repo. */
export async function listTags(deps: LsReadDeps, owner: string, repo: string) {
  const row = await getRepo(deps.db, deps, owner, repo);
  const rows = await queryRows<{ tag: string; version: number; id: string; at: Date | string }>(
    deps.db,
    sql`select e.name as tag, d.version, v.id, d.created_at as at
          from environments e
          join lateral (select d.version, d.created_at from deployments d where d.prompt_id = ${row.id}
                        and d.environment_id = e.id order by d.created_at desc, d.id desc limit 1) d on true
          join prompt_versions v on v.prompt_id = ${row.id} and v.version = d.version
         where e.project_id = ${deps.projectId}
        union all
        select l.label as tag, l.version, v.id, l.updated_at as at
          from version_labels l join prompt_versions v on v.prompt_id = l.prompt_id and v.version = l.version
         where l.prompt_id = ${row.id}
        order by tag`,
  );
  return rows.map((t) => ({
    id: `${row.id}:${t.tag}`,
    repo_id: row.id,
    commit_id: t.id,
    commit_hash: commitHashOf(row.id, t.version),
    tag_name: t.tag,
    created_at: new Date(t.at).toISOString(),
    updated_at: new Date(t.at).toISOString(),
  }));
}
