// The endpoints of the LangSmith-compatible API under /api/compat/langsmith (docs/switching.md#langsmith): the
// prompt hub's paths LangSmith's own clients (langsmith's Client, langchain/hub) append to LANGSMITH_ENDPOINT,
// one declaration each (../endpoint.ts), and the LangSmith import. Keys come as x-api-key (keyHeader); errors take
// LangSmith's `{detail}` shape (lib/errors.ts). The clients add a trailing '/' to some paths (POST /repos/,
// GET /commits/{owner}/{repo}/): Next answers those with a 308 to the path without it, which their fetch follows.
import "server-only";
import { z } from "zod";
import { foreignImportReportSchema } from "@/lib/compat/import";
import { importLangSmithInput } from "@/lib/compat/langsmith/import";
import { lsCreateCommitBody, lsCreateRepoBody, lsCreateTagBody, lsUpdateRepoBody } from "@/lib/compat/langsmith/push";
import { lsListReposQuery, lsPageQuery, lsPullQuery } from "@/lib/compat/langsmith/reads";
import {
  lsCommitResponse,
  lsListCommitsResponse,
  lsListReposResponse,
  lsPullResponse,
  lsRepo,
  lsRepoResponse,
  lsSettingsResponse,
  lsTag,
  lsTagsResponse,
} from "@/lib/compat/langsmith/shapes";
import { endpoint } from "../endpoint";

const keyHeader = "x-api-key";
const base = "/api/compat/langsmith";
const owner = z.string().meta({ description: "'-' or the project's slug (its tenant handle): this project" });
const repo = z
  .string()
  .meta({ description: "The prompt's name, a folder's '/' written '--' (support--reply), or as %2F" });
const repoParams = z.object({ owner, repo });
const commitParams = z.object({
  owner,
  repo,
  commit: z.string().meta({
    description:
      "latest (the newest version), a commit hash or its first 8+ digits (a version), or a tag: an environment, else a version label",
  }),
});

export const langSmithSettings = endpoint({
  method: "GET",
  path: `${base}/settings`,
  summary: "LangSmith's settings: the tenant handle (the project's slug) its clients compare owners with",
  scope: "runtime",
  permission: "runtime.resolve",
  keyHeader,
  response: lsSettingsResponse,
});

export const langSmithListRepos = endpoint({
  method: "GET",
  path: `${base}/repos`,
  summary: "LangSmith listPrompts: the project's prompts as repos (skills are not prompts), newest change first",
  scope: "runtime",
  permission: "runtime.resolve",
  keyHeader,
  query: lsListReposQuery,
  response: lsListReposResponse,
});

export const langSmithCreateRepo = endpoint({
  method: "POST",
  path: `${base}/repos`,
  summary:
    "LangSmith createPrompt: a repo without commits, reserved for this project until its first commit creates the prompt",
  scope: "admin",
  permission: "prompt.create",
  keyHeader,
  body: lsCreateRepoBody,
  response: lsRepoResponse,
});

export const langSmithGetRepo = endpoint({
  method: "GET",
  path: `${base}/repos/{owner}/{repo}`,
  params: repoParams,
  summary: "LangSmith getPrompt and promptExists: the repo, or 404",
  scope: "runtime",
  permission: "runtime.resolve",
  keyHeader,
  response: lsRepoResponse,
});

export const langSmithUpdateRepo = endpoint({
  method: "PATCH",
  path: `${base}/repos/{owner}/{repo}`,
  params: repoParams,
  summary: "LangSmith updatePrompt: the prompt's description and tags",
  scope: "admin",
  permission: "prompt.update",
  keyHeader,
  body: lsUpdateRepoBody,
  response: lsRepo,
});

export const langSmithListTags = endpoint({
  method: "GET",
  path: `${base}/repos/{owner}/{repo}/tags`,
  params: repoParams,
  summary: "A repo's tags: the environments and version labels naming one of its versions",
  scope: "runtime",
  permission: "runtime.resolve",
  keyHeader,
  response: lsTagsResponse,
});

export const langSmithCreateTag = endpoint({
  method: "POST",
  path: `${base}/repos/{owner}/{repo}/tags`,
  params: repoParams,
  summary:
    "A commit's tag (pushPrompt's commitTags): an environment moves only through the release plan (a protected one answers what is missing); any other tag is a version label",
  scope: "admin",
  permission: "version.create",
  keyHeader,
  body: lsCreateTagBody,
  response: lsTag,
});

export const langSmithListCommits = endpoint({
  method: "GET",
  path: `${base}/commits/{owner}/{repo}`,
  params: repoParams,
  summary: "LangSmith listCommits: the prompt's versions, newest first, each with its manifest",
  scope: "runtime",
  permission: "runtime.resolve",
  keyHeader,
  query: lsPageQuery,
  response: lsListCommitsResponse,
});

export const langSmithCreateCommit = endpoint({
  method: "POST",
  path: `${base}/commits/{owner}/{repo}`,
  params: repoParams,
  summary:
    "LangSmith createCommit (pushPrompt, hub.push): a new version from a LangChain prompt (f-string and mustache converted, or refused by construct); a parent_commit older than the newest is a 409",
  scope: "admin",
  permission: "version.create",
  keyHeader,
  body: lsCreateCommitBody,
  maxBodyBytes: 2_000_000,
  response: lsCommitResponse,
});

export const langSmithPullCommit = endpoint({
  method: "GET",
  path: `${base}/commits/{owner}/{repo}/{commit}`,
  params: commitParams,
  summary:
    "LangSmith pullPromptCommit (hub.pull): latest, a commit, or a tag (an environment, read through resolve), as a LangChain manifest",
  scope: "runtime",
  permission: "runtime.resolve",
  keyHeader,
  query: lsPullQuery,
  response: lsPullResponse,
});

export const importFromLangSmith = endpoint({
  method: "POST",
  path: "/api/v1/import/langsmith",
  summary:
    "Import a LangSmith workspace's prompts (every commit, f-string and mustache converted or refused by construct, tags through the release plan); dryRun plans; idempotent",
  scope: "admin",
  permission: "settings.manage",
  body: importLangSmithInput,
  response: foreignImportReportSchema,
});
