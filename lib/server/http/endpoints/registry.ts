// The endpoints of prompts, their versions, diffs, dependents, comments, stats, the playground and the key's project (prices, the Langfuse import and snapshots have files of their own): one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
import { projectInfoResponse } from "@/lib/auth/projects";
import { playgroundInput, playgroundResultSchema } from "@/lib/evaluation/playground";
import {
  createPromptResponse,
  promptListResponse,
  promptResponse,
  versionListResponse,
  versionResponse,
  createVersionResponse,
} from "@/lib/registry/dto";
import { createPromptInput, listPromptsInput, updatePromptDetailsInput } from "@/lib/registry/prompts";
import { createVersionInput, diffQuery, versionDiffResponse } from "@/lib/registry/versions";
import { addCommentInput, commentListResponse, commentSchema, listCommentsInput } from "@/lib/release/reviews/comments";
import { dependentsQuery, dependentsResponse } from "@/lib/release/dependents";
import { listVersionsQuery, releasePlanQuery } from "@/lib/views/prompt-reads";
import { promptDetailResponse, releasePlanSchema } from "@/lib/release/dto";
import { promptStatsContract } from "@/lib/stats/contracts";
import { promptStatsQuery } from "@/lib/views/prompt-stats";
import { endpoint, renderErrors, withContent } from "../endpoint";
import { promptParams, promptVersionParams } from "../path-params";

export const listPrompts = endpoint({
  method: "GET",
  path: "/api/v1/prompts",
  summary: "List prompts, filtered and sorted as the query parameters say, a page at a time, each with its owner",
  scope: "admin",
  permission: "prompt.read",
  query: listPromptsInput,
  response: promptListResponse,
});

export const createPrompt = endpoint({
  method: "POST",
  path: "/api/v1/prompts",
  summary: "Create a prompt (version 1, draft)",
  scope: "admin",
  permission: "prompt.create",
  body: createPromptInput,
  bodySchema: withContent(createPromptInput),
  status: 201,
  response: createPromptResponse,
});

export const getPromptDetail = endpoint({
  method: "GET",
  path: "/api/v1/prompts/{name}",
  params: promptParams,
  summary: "Prompt metadata, latest version and what each environment serves",
  scope: "admin",
  permission: "prompt.read",
  response: promptDetailResponse,
});

export const updatePromptDetails = endpoint({
  method: "PATCH",
  path: "/api/v1/prompts/{name}",
  params: promptParams,
  summary: "Change a prompt's description and tags (not versioned)",
  scope: "admin",
  permission: "prompt.update",
  body: updatePromptDetailsInput,
  response: promptResponse,
});

export const listVersions = endpoint({
  method: "GET",
  path: "/api/v1/prompts/{name}/versions",
  params: promptParams,
  summary: "Version history with status and where each was live",
  scope: "admin",
  permission: "prompt.read",
  query: listVersionsQuery,
  response: versionListResponse,
});

export const createVersion = endpoint({
  method: "POST",
  path: "/api/v1/prompts/{name}/versions",
  params: promptParams,
  summary: "Save a new version (409 when baseVersion is not the latest)",
  scope: "admin",
  permission: "version.create",
  body: createVersionInput,
  bodySchema: withContent(createVersionInput),
  status: 201,
  response: createVersionResponse,
});

export const getPromptVersion = endpoint({
  method: "GET",
  path: "/api/v1/prompts/{name}/versions/{version}",
  params: promptVersionParams,
  summary: "One version (immutable: PUT/PATCH/DELETE answer 405)",
  scope: "admin",
  permission: "prompt.read",
  response: versionResponse,
});

export const getPromptVersionDiff = endpoint({
  method: "GET",
  path: "/api/v1/prompts/{name}/versions/{version}/diff",
  params: promptVersionParams,
  summary: "Diff of a version against another (default: the previous)",
  scope: "admin",
  permission: "prompt.read",
  query: diffQuery,
  response: versionDiffResponse,
});

export const getVersionReleasePlan = endpoint({
  method: "GET",
  path: "/api/v1/prompts/{name}/versions/{version}/release-plan",
  params: promptVersionParams,
  summary:
    "The version's release plan for an environment (?environment=, default production): each rule's step, met or missing, with the action a missing one needs, and what a release would also do (stop a running experiment)",
  scope: "admin",
  permission: "prompt.read",
  query: releasePlanQuery,
  response: releasePlanSchema,
});

export const listPromptDependents = endpoint({
  method: "GET",
  path: "/api/v1/prompts/{name}/dependents",
  params: promptParams,
  summary:
    "The prompts that include this one as a partial where an environment serves it (?environment=, default every environment), with the version each serves: what a release of this prompt there also changes",
  scope: "admin",
  permission: "prompt.read",
  query: dependentsQuery,
  response: dependentsResponse,
});

export const listPromptComments = endpoint({
  method: "GET",
  path: "/api/v1/prompts/{name}/comments",
  params: promptParams,
  summary: "Comments on the prompt's versions (?version=), oldest first, with the members each mentions",
  scope: "admin",
  permission: "prompt.read",
  query: listCommentsInput,
  response: commentListResponse,
});

export const addPromptComment = endpoint({
  method: "POST",
  path: "/api/v1/prompts/{name}/comments",
  params: promptParams,
  summary:
    "Comment on a version, optionally in a review's discussion; @mentions (an e-mail address, or its local part when unique) must be project members. Webhooks send comment.created",
  scope: "admin",
  permission: "comment.write",
  body: addCommentInput,
  status: 201,
  response: commentSchema,
});

export const getPromptStats = endpoint({
  method: "GET",
  path: "/api/v1/prompts/{name}/stats",
  params: promptParams,
  summary:
    "Per version (newest first) with generations or scores in the range: {version, environments, generations, inputTokens, outputTokens, costUsd (totals), latencyMs {mean, p50, p95} (percentiles from logarithmic bins, within 2.5% of latency + 1 ms), scores {samples, mean, scorers {name: {n, mean}}} (online evaluation), feedback {thumbsUp, thumbsDown, ratings, meanRating}}; OTLP spans count as generations. ?environment= (all when left out), ?from= and ?to= (ISO date-times; whole UTC days for usage and feedback, hours for scores)",
  scope: "admin",
  permission: "prompt.read",
  query: promptStatsQuery,
  response: promptStatsContract,
});

export const runPromptPlayground = endpoint({
  method: "POST",
  path: "/api/v1/prompts/{name}/playground",
  params: promptParams,
  summary:
    "Run a version once with the given variables against its model (or `model`) through a project connection (default: the project's default, else LLM_BASE_URL): output, tokens, cost, latency, attempts and any error",
  scope: "admin",
  permission: "evaluation.run",
  errors: renderErrors,
  body: playgroundInput,
  response: playgroundResultSchema,
});

export const getKeyProject = endpoint({
  method: "GET",
  path: "/api/v1/project",
  summary: "The key's project: slug, name and the public id Langfuse-compatible clients use",
  scope: "runtime",
  response: projectInfoResponse,
});
