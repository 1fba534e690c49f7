// Reading a LangSmith workspace's prompt hub through its REST API (the paths and shapes its own clients use) as
// the importer core's ForeignPrompts: the repos (GET /repos, pages of 100), each repo's commits (GET
// /commits/{owner}/{repo}/, pages of 100, newest first; handed over oldest first) with their manifests (a commit
// listed without one is pulled: GET /commits/{owner}/{repo}/{hash}) and its tags (GET /repos/{owner}/{repo}/tags).
// A repo handle's `--` is a folder's `/` (hub-names.ts). Bounded: pages, commits per repo and in all, bytes
// (SourceClient) and the import's signal. A manifest a Lectern version cannot carry is refused here, named.
import { z } from "zod";
import { AppError } from "../../errors";
import { pool, type SourceClient } from "../../registry/import-source";
import { importLimits } from "../../registry/imported";
import type { ForeignPrompt, ForeignVersion } from "../import";
import { keyedClient, type KeyedReader, type ReaderRefusal } from "../import/keyed";
import { manifestContent } from "./from-manifest";
import { namesOfRepo } from "./hub-names";

export interface LangSmithSource {
  /** What the clients take as LANGSMITH_ENDPOINT: https://api.smith.langchain.com (or a Lectern's /api/compat/langsmith). */
  url: string;
  apiKey: string;
}

const reposPage = z.object({
  repos: z.array(
    z.looseObject({
      repo_handle: z.string(),
      owner: z.string().nullish(),
      description: z.string().nullish(),
      tags: z.array(z.unknown()).nullish(),
      num_commits: z.number().int().nonnegative().nullish(),
    }),
  ),
  total: z.number().int().nonnegative().optional(),
});

const commitItem = z.looseObject({
  commit_hash: z.string().min(1).max(200),
  manifest: z.unknown().optional(),
  description: z.string().nullish(),
  created_at: z.string().nullish(),
});
const commitsPage = z.object({ commits: z.array(commitItem), total: z.number().int().nonnegative().optional() });
const pulled = z.looseObject({ commit_hash: z.string(), manifest: z.unknown() });
const tagsAnswer = z.array(z.looseObject({ tag_name: z.string(), commit_hash: z.string().nullish() }));

type Listed = { owner: string; handle: string; name: string; description?: string; tags: string[]; commits: number };

const page = 100;

const inFolder = (name: string, folder?: string) =>
  !folder || name === folder.replace(/\/+$/, "") || name.startsWith(`${folder.replace(/\/+$/, "")}/`);

function notLangSmith(url: string, what: string): AppError {
  return new AppError(
    "unprocessable",
    `${url} did not answer ${what}: is it LangSmith's API URL (LANGSMITH_ENDPOINT)?`,
    {
      field: "url",
    },
  );
}

function tooMany(what: string, limit: number): AppError {
  return new AppError(
    "unprocessable",
    `${what}, more than the ${limit.toLocaleString("en-US")} one import reads; import one folder at a time (folder).`,
    { field: "folder", limit },
  );
}

/** Every repo of the workspace (not archived in LangSmith, LangSmith's word), page by page. */
async function listRepos(client: SourceClient, url: string, folder?: string): Promise<Listed[]> {
  const listed: Listed[] = [];
  for (let offset = 0, n = 0; ; n++) {
    if (n >= importLimits.pages) throw tooMany(`${url} lists more than ${importLimits.pages} pages of prompts`, n);
    const r = await client.get(`/repos?limit=${page}&offset=${offset}&is_archived=false`);
    const parsed = reposPage.safeParse(r.body);
    if (r.status !== 200 || !parsed.success) throw notLangSmith(url, "a LangSmith repo list");
    for (const repo of parsed.data.repos) {
      const names = namesOfRepo(repo.repo_handle);
      const name = names[names.length - 1]!;
      if (!inFolder(name, folder)) continue;
      const tags = (repo.tags ?? []).filter((t): t is string => typeof t === "string");
      listed.push({
        owner: repo.owner || "-",
        handle: repo.repo_handle,
        name,
        ...(repo.description ? { description: repo.description } : {}),
        tags,
        commits: repo.num_commits ?? 0,
      });
    }
    offset += parsed.data.repos.length;
    if (isLast(parsed.data.repos.length, offset, parsed.data.total)) break;
  }
  const over = listed.find((p) => p.commits > importLimits.versionsPerPrompt);
  if (over) throw tooMany(`LangSmith lists ${over.commits} commits of ${over.name}`, importLimits.versionsPerPrompt);
  const total = listed.reduce((n, p) => n + p.commits, 0);
  if (total > importLimits.versions) throw tooMany(`The import would read ${total} commits`, importLimits.versions);
  return listed;
}

/** The last page: an empty one, or all `total` read (without a total, a short page, as LangSmith's clients stop). */
const isLast = (got: number, read: number, total: number | undefined) =>
  got === 0 || (total !== undefined ? read >= total : got < page);

const repoPath = (p: Listed) => `${encodeURIComponent(p.owner)}/${encodeURIComponent(p.handle)}`;

/** A repo's commits, oldest first, each with its manifest. */
async function readCommits(client: SourceClient, p: Listed) {
  const commits: z.infer<typeof commitItem>[] = [];
  for (let offset = 0; ;) {
    const r = await client.get(`/commits/${repoPath(p)}/?limit=${page}&offset=${offset}`);
    const parsed = commitsPage.safeParse(r.body);
    if (r.status !== 200 || !parsed.success)
      throw new AppError("unprocessable", `LangSmith's commit list of ${p.handle} is not one.`, { prompt: p.name });
    commits.push(...parsed.data.commits);
    if (commits.length > importLimits.versionsPerPrompt)
      throw tooMany(`${p.name} has more commits`, importLimits.versionsPerPrompt);
    offset += parsed.data.commits.length;
    if (isLast(parsed.data.commits.length, offset, parsed.data.total)) break;
  }
  commits.reverse();
  return pool(commits, 4, async (c) => {
    if (c.manifest !== undefined && c.manifest !== null) return c;
    const r = await client.get(`/commits/${repoPath(p)}/${encodeURIComponent(c.commit_hash)}`);
    const a = pulled.safeParse(r.body);
    if (r.status !== 200 || !a.success)
      throw new AppError("unprocessable", `LangSmith's answer for ${p.handle}:${c.commit_hash} is not that commit.`, {
        prompt: p.name,
      });
    return { ...c, manifest: a.data.manifest };
  });
}

/** Why a commit was not handed over. */
function refusalOf(e: unknown): { reason: string; field?: string; construct?: string } {
  if (!(e instanceof AppError)) throw e;
  const field = typeof e.details?.field === "string" ? e.details.field : undefined;
  const construct = typeof e.details?.construct === "string" ? e.details.construct : undefined;
  return { reason: e.message, ...(field ? { field } : {}), ...(construct ? { construct } : {}) };
}

async function readRepo(client: SourceClient, p: Listed, refusals: ReaderRefusal[]): Promise<ForeignVersion[]> {
  const tags = await client.get(`/repos/${repoPath(p)}/tags`);
  const parsedTags = tags.status === 200 ? tagsAnswer.safeParse(tags.body) : undefined;
  const labelsOf = (hash: string) =>
    (parsedTags?.success ? parsedTags.data : []).filter((t) => t.commit_hash === hash).map((t) => t.tag_name);
  const versions: ForeignVersion[] = [];
  for (const c of await readCommits(client, p)) {
    try {
      versions.push({
        ...manifestContent(c.manifest),
        sourceId: c.commit_hash,
        labels: labelsOf(c.commit_hash),
        ...(c.description ? { message: c.description } : {}),
        ...(c.created_at && !Number.isNaN(Date.parse(c.created_at)) ? { createdAt: c.created_at } : {}),
      });
    } catch (e) {
      refusals.push({ prompt: p.name, sourceId: c.commit_hash, ...refusalOf(e) });
    }
  }
  return versions;
}

/** Every repo (optionally one folder's) with every commit, and what the reader refused. */
export const readLangSmith: KeyedReader<LangSmithSource> = async (source, fetcher, opts) => {
  const client = keyedClient("LangSmith", source, fetcher, opts.signal);
  const listed = await listRepos(client, source.url, opts.folder);
  const refusals: ReaderRefusal[] = [];
  const prompts: ForeignPrompt[] = [];
  for (const p of listed)
    prompts.push({
      name: p.name,
      ...(p.description ? { description: p.description } : {}),
      tags: p.tags,
      versions: await readRepo(client, p, refusals),
    });
  return { prompts, refusals };
};
