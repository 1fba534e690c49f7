// LangSmith's answers as zod schemas (the endpoints' `response`, checked in the test tiers), after the JS
// client's `Prompt`, `PromptCommit`, `ListPromptsResponse` and `ListCommitsResponse` (langsmith/schemas) and the
// fields LangSmith's REST API adds. Loose: a client reads what it knows.
import { z } from "zod";

const when = z.string().describe("ISO 8601");

export const lsSettingsResponse = z.looseObject({
  id: z.string(),
  display_name: z.string(),
  tenant_handle: z.string().describe("The project's slug: an owner the clients treat as this tenant (as is '-')"),
  is_personal: z.boolean(),
});

export const lsRepo = z.looseObject({
  repo_handle: z.string().describe("The prompt's name, a folder's '/' written '--'"),
  description: z.string().nullable(),
  readme: z.string().nullable(),
  id: z.string(),
  tenant_id: z.string(),
  created_at: when,
  updated_at: when,
  is_public: z.boolean(),
  is_archived: z.boolean(),
  tags: z.array(z.string()),
  owner: z.string(),
  full_name: z.string(),
  num_likes: z.number().int(),
  num_downloads: z.number().int(),
  num_views: z.number().int(),
  liked_by_auth_user: z.boolean(),
  last_commit_hash: z.string().nullable(),
  num_commits: z.number().int(),
});

export const lsRepoResponse = z.object({ repo: lsRepo });
export const lsListReposResponse = z.object({ repos: z.array(lsRepo), total: z.number().int() });

const manifest = z
  .record(z.string(), z.unknown())
  .describe("A serialized LangChain prompt: ChatPromptTemplate or PromptTemplate (a RunnableSequence with its model)");

export const lsCommit = z.looseObject({
  id: z.string().describe("The version's id (a tag names a commit by it)"),
  manifest_id: z.string(),
  repo_id: z.string(),
  parent_id: z.string().nullable(),
  commit_hash: z.string().describe("A stable hash of the version (LangSmith's clients accept its first 8 digits)"),
  parent_commit_hash: z.string().nullable(),
  created_at: when,
  updated_at: when,
  description: z.string().nullable().describe("The version's commit message"),
  full_name: z.string(),
  example_run_ids: z.array(z.string()),
  num_downloads: z.number().int(),
  num_views: z.number().int(),
  manifest: manifest.nullable().describe("null when LangChain's formats cannot carry the version (its pull says why)"),
});

export const lsListCommitsResponse = z.object({ commits: z.array(lsCommit), total: z.number().int() });
export const lsCommitResponse = z.object({ commit: lsCommit });

export const lsPullResponse = z.object({
  commit_hash: z.string(),
  manifest,
  examples: z.array(z.unknown()),
});

export const lsTag = z.looseObject({
  id: z.string(),
  repo_id: z.string(),
  commit_id: z.string(),
  commit_hash: z.string(),
  tag_name: z.string().describe("An environment's name, or a version label"),
  created_at: when,
  updated_at: when,
});
export const lsTagsResponse = z.array(lsTag);
