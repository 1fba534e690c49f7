// The hub's writes as LangSmith's clients make them: createPrompt (a repo without commits waits in
// langsmith_repos, db/schema/langsmith.ts, until its first commit), updatePrompt (description and tags),
// createCommit (pushPrompt, hub.push: the manifest converted through the importer core's content path —
// f-string and mustache to Lectern's, refused by construct — and saved with the registry's own createPrompt /
// saveVersion; `parent_commit` is the version it was based on, so a stale parent is a 409), and a commit's tags:
// a tag naming an environment moves only through lib/release's promote (reviews, gates and live-in rules hold, a
// refusal names what is missing), any other tag is a version label.
import { and, eq, sql } from "drizzle-orm";
import { queryRows } from "../../../db/client";
import { z } from "zod";
import { langsmithRepos } from "../../../db/schema";
import { BufferedEvents } from "../../announcements";
import { withTx, type DomainContext } from "../../context";
import { AppError } from "../../errors";
import { parseContent, type Content } from "../../registry/content";
import { FormatRefusal, refusalError } from "../../registry/formats/ir";
import { newPromptNameSchema } from "../../registry/names";
import { createPrompt, findPrompt, updatePromptDetails } from "../../registry/prompts";
import { getVersion, saveVersion } from "../../registry/versions";
import { listEnvironmentRows } from "../../release/environments";
import { assertMayDeployInto, promoteVersion } from "../../release/promote";
import { setVersionLabel } from "../../release/version-labels/version-labels";
import { parseInput } from "../../validation";
import { foreignContent } from "../import/source-content";
import { manifestContent } from "./from-manifest";
import { commitHashOf, namesOfRepo, versionOfCommit } from "./hub-names";
import { commitDto, findRepo, getRepo, repoDto, versionNumbers, type LsProject, type RepoRow } from "./repos";

const tags = z.array(z.string().trim().min(1).max(50)).max(20);

export const lsCreateRepoBody = z.looseObject({
  repo_handle: z.string({ error: "repo_handle is required" }).min(1).max(300),
  description: z.string().max(2000).nullish(),
  readme: z.string().max(100_000).nullish(),
  tags: tags.nullish(),
  is_public: z.boolean().nullish(),
});
export const lsUpdateRepoBody = z.looseObject({
  description: z.string().max(2000).nullish(),
  readme: z.string().max(100_000).nullish(),
  tags: tags.nullish(),
  is_public: z.boolean().nullish(),
  is_archived: z.boolean().nullish(),
});
export const lsCreateCommitBody = z.looseObject({
  manifest: z.record(z.string(), z.unknown(), { error: "manifest must be a serialized LangChain prompt" }),
  parent_commit: z.string().max(64).nullish(),
  description: z.string().max(1000).nullish(),
});
export const lsCreateTagBody = z.looseObject({
  tag_name: z.string({ error: "tag_name is required" }).min(1).max(100),
  commit_id: z.string({ error: "commit_id is required" }).min(1).max(100),
});

type Ctx = DomainContext & { tenantHandle: string };
const project = (ctx: Ctx): LsProject => ({ projectId: ctx.projectId, tenantHandle: ctx.tenantHandle });

function refusePublic(isPublic: boolean | null | undefined) {
  if (isPublic)
    throw new AppError("invalid_input", "Lectern's prompts belong to the project: none is public.", {
      field: "is_public",
    });
}

/** POST /repos/: a repo without commits (its prompt is created by its first commit). */
export async function createRepo(ctx: Ctx, body: z.infer<typeof lsCreateRepoBody>) {
  refusePublic(body.is_public);
  const candidates = namesOfRepo(body.repo_handle);
  const name = parseInput(newPromptNameSchema, candidates[candidates.length - 1], "repo_handle");
  if (await findRepo(ctx.db, project(ctx), "-", body.repo_handle))
    throw new AppError("conflict", `Repo ${body.repo_handle} already exists.`, { field: "repo_handle" });
  await ctx.db
    .insert(langsmithRepos)
    .values({ projectId: ctx.projectId, name, description: body.description ?? "", tags: body.tags ?? [] })
    .onConflictDoNothing();
  return { repo: repoDto((await getRepo(ctx.db, project(ctx), "-", body.repo_handle))!, project(ctx)) };
}

/** PATCH /repos/{owner}/{repo}: description and tags (Lectern keeps no readme; LangSmith's `is_archived` is what Lectern calls deleted, done through its own API). */
export async function updateRepo(ctx: Ctx, owner: string, repo: string, body: z.infer<typeof lsUpdateRepoBody>) {
  refusePublic(body.is_public);
  if (body.is_archived !== undefined && body.is_archived !== null)
    throw new AppError("invalid_input", "Archive a prompt through Lectern's own API or its page.", {
      field: "is_archived",
    });
  const row = await getRepo(ctx.db, project(ctx), owner, repo);
  const change = {
    ...(body.description !== undefined && body.description !== null ? { description: body.description } : {}),
    ...(body.tags ? { tags: body.tags } : {}),
  };
  if (row.pending)
    await ctx.db
      .update(langsmithRepos)
      .set(change)
      .where(and(eq(langsmithRepos.projectId, ctx.projectId), eq(langsmithRepos.name, row.name)));
  else if (Object.keys(change).length) await updatePromptDetails(ctx, row.name, change);
  return repoDto((await getRepo(ctx.db, project(ctx), owner, repo))!, project(ctx));
}

/** A pushed manifest as Lectern content; a construct it cannot carry is a 422 naming it. */
function contentOf(manifest: unknown): Content {
  try {
    return foreignContent({ ...manifestContent(manifest), sourceId: "push", labels: [] }).content;
  } catch (e) {
    if (e instanceof FormatRefusal) throw refusalError(e, "Lectern cannot carry this manifest exactly");
    throw e;
  }
}

/** The version `parent_commit` names, which must be the newest (else a 409, as LangSmith answers a stale parent). */
async function baseVersionOf(ctx: Ctx, row: RepoRow, parent: string | null | undefined): Promise<number | null> {
  if (!parent || row.pending) return null;
  const version = versionOfCommit(row.id, await versionNumbers(ctx.db, row.id), parent);
  if (version === undefined)
    throw new AppError("not_found", `parent_commit ${parent} is not a commit of ${row.name}.`, {
      field: "parent_commit",
    });
  return version;
}

/** POST /commits/{owner}/{repo}: a new version (the prompt itself, for a repo's first commit). */
export async function createCommit(ctx: Ctx, owner: string, repo: string, body: z.infer<typeof lsCreateCommitBody>) {
  const row = await getRepo(ctx.db, project(ctx), owner, repo);
  const content = contentOf(body.manifest);
  const baseVersion = await baseVersionOf(ctx, row, body.parent_commit);
  const commitMessage = body.description ?? "";
  const buffer = new BufferedEvents();
  const saved = await ctx.db.transaction(async (tx) => {
    const c = withTx(ctx, tx, buffer);
    if (row.pending) {
      const created = await createPrompt(c, {
        name: row.name,
        description: row.description,
        tags: row.tags,
        commitMessage,
        ...content,
      });
      await tx
        .delete(langsmithRepos)
        .where(and(eq(langsmithRepos.projectId, ctx.projectId), eq(langsmithRepos.name, row.name)));
      return { promptId: created.prompt.id, version: created.version };
    }
    const prompt = (await findPrompt(tx, ctx.projectId, row.name))!;
    const { version } = await saveVersion(c, prompt, parseContent(content), { commitMessage, baseVersion });
    return { promptId: prompt.id, version };
  });
  await buffer.flush(ctx.events);
  const v = saved.version;
  const prompt = (await findPrompt(ctx.db, ctx.projectId, row.name))!;
  const parent = v.version > 1 ? await getVersion(ctx.db, prompt, v.version - 1) : undefined;
  const at = (x: { id: string; version: number; commitMessage: string; createdAt: Date }) => ({
    id: x.id,
    version: x.version,
    commit_message: x.commitMessage,
    created_at: x.createdAt,
  });
  const repoRow = { ...row, id: saved.promptId, pending: false };
  return { commit: commitDto(repoRow, project(ctx), at(v), parent && at(parent), body.manifest) };
}

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

async function versionOfId(ctx: Ctx, promptId: string, id: string): Promise<number | undefined> {
  const [row] = await queryRows<{ version: number }>(
    ctx.db,
    sql`select version from prompt_versions where prompt_id = ${promptId} and id = ${id}`,
  );
  return row?.version;
}

/** POST /repos/{owner}/{repo}/tags: an environment through the release path, else a version label. */
export async function createTag(ctx: Ctx, owner: string, repo: string, body: z.infer<typeof lsCreateTagBody>) {
  const row = await getRepo(ctx.db, project(ctx), owner, repo);
  const prompt = row.pending ? undefined : await findPrompt(ctx.db, ctx.projectId, row.name);
  const versions = prompt ? await versionNumbers(ctx.db, prompt.id) : [];
  // The commit's id (what createCommit answered, and the JS client sends), or its hash.
  const byId = prompt && isUuid(body.commit_id) ? await versionOfId(ctx, prompt.id, body.commit_id) : undefined;
  const version = byId ?? (prompt ? versionOfCommit(prompt.id, versions, body.commit_id) : undefined);
  if (!prompt || version === undefined)
    throw new AppError("not_found", `Commit ${body.commit_id} is not a commit of ${row.name}.`, {
      field: "commit_id",
    });
  const tag = body.tag_name;
  const environments = new Set((await listEnvironmentRows(ctx.db, ctx.projectId)).map((e) => e.name));
  if (environments.has(tag)) {
    await assertMayDeployInto(ctx, tag); // the body's tag names the environment: no declaration can (promote.ts)
    const buffer = new BufferedEvents();
    await ctx.db.transaction((tx) =>
      promoteVersion(withTx(ctx, tx, buffer), row.name, {
        environment: tag,
        version: version!,
        reason: `Tag ${tag} set through LangSmith's API`,
      }),
    );
    await buffer.flush(ctx.events);
  } else await setVersionLabel(ctx, row.name, tag, version);
  const commit = await getVersion(ctx.db, prompt, version);
  const at = commit.createdAt.toISOString();
  return {
    id: `${prompt.id}:${tag}`,
    repo_id: prompt.id,
    commit_id: commit.id,
    commit_hash: commitHashOf(prompt.id, version),
    tag_name: tag,
    created_at: at,
    updated_at: at,
  };
}
