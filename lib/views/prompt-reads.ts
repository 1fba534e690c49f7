// What the prompt management API reads (CONTRIBUTING.md, "Routes and actions are thin"): one read model per
// route, each answering exactly the JSON the route sends. Path values arrive as the route got them (a version
// as its text) and are checked here, after the prompt is found, so an unknown prompt is a 404 before a bad
// version is a 400.
import { readTogether, readEach, type Db } from "../../db/client";
import { promptDto, versionDto } from "../registry/dto";
import { versionParam } from "../number-params";
import { getPrompt } from "../registry/prompts";
import { getVersion, listVersionRows } from "../registry/versions";
import { parseInput } from "../validation";
import { deploymentHistory, liveAt, liveVersions } from "../release/deployments";
import { draftDto, reviewDto, deploymentDto } from "../release/dto";
import { environmentNameSchema, getEnvironmentRow, listEnvironmentRows } from "../release/environments";
import { draftDiffs, listDrafts } from "../release/drafts/drafts";
import { planFor } from "../release/plan/plan-facts";
import { mergeReleaseLog, rolloutEvents } from "../release/release-log";
import { listReviews } from "../release/reviews/reviews";
import { versionLabelsOf } from "../release/version-labels/version-label-dto";
import type { ReviewRow } from "../release/reviews/reviews";
import { placementOf, versionStatuses } from "../release/status";
import { z } from "zod";
import { countParam } from "../number-params";

const versionOf = (raw: string | undefined) => parseInput(versionParam("version"), raw, "version");

/** GET /api/v1/prompts/{name}: metadata, the latest version, what each environment serves, and its version labels. */
export async function getPromptDetail(db: Db, projectId: string, name: string) {
  const prompt = await getPrompt(db, projectId, name);
  const [latest, live, statuses, labels] = await readTogether(db, [
    () => getVersion(db, prompt, prompt.latestVersion),
    () => liveVersions(db, projectId, prompt.id),
    () => versionStatuses(db, prompt.id),
    () => versionLabelsOf(db, prompt.id),
  ]);
  return {
    prompt: promptDto(prompt),
    latestVersion: versionDto(latest, { placement: placementOf(statuses, latest.version) }),
    environments: Object.fromEntries(
      live.map((e) => [
        e.environment,
        e.live
          ? { version: e.live.version, since: e.live.at.toISOString(), action: e.live.action, protected: e.protected }
          : null,
      ]),
    ),
    versionLabels: Object.fromEntries(labels.map(({ label, ...l }) => [label, l])),
  };
}

/** GET /api/v1/prompts/{name}/versions: the history, newest first, each version with its placement. */
export async function listVersions(db: Db, projectId: string, name: string, opts: { limit?: number } = {}) {
  const prompt = await getPrompt(db, projectId, name);
  const [rows, statuses] = await readTogether(db, [
    () => listVersionRows(db, prompt, { limit: opts.limit }),
    () => versionStatuses(db, prompt.id),
  ]);
  return {
    data: rows.map((r) =>
      versionDto(r.version, { placement: placementOf(statuses, r.version.version), author: r.authorName }),
    ),
  };
}

/** GET /api/v1/prompts/{name}/versions/{n}: one version with its placement and its diff from the one before. */
export async function getPromptVersion(db: Db, projectId: string, name: string, rawVersion: string | undefined) {
  const prompt = await getPrompt(db, projectId, name);
  const version = await getVersion(db, prompt, versionOf(rawVersion));
  return versionDto(version, {
    placement: placementOf(await versionStatuses(db, prompt.id), version.version),
    withDiff: true,
  });
}

/**
 * GET /api/v1/prompts/{name}/deployments: the history (newest first, of one environment or all) — the deployments,
 * and the release log with the guarded rollouts' events — or with `at` what each environment (or the one named)
 * served at that instant.
 */
export async function listPromptDeployments(
  db: Db,
  projectId: string,
  name: string,
  query: { environment?: string; at?: string; limit?: number },
) {
  const prompt = await getPrompt(db, projectId, name);
  if (query.at) {
    const at = new Date(query.at);
    const envs = query.environment
      ? [await getEnvironmentRow(db, projectId, query.environment)]
      : await listEnvironmentRows(db, projectId);
    const live = await readEach(db, envs, async (e) => [e.name, await liveAt(db, prompt.id, e.id, at)] as const);
    return {
      at: at.toISOString(),
      live: Object.fromEntries(live.map(([env, d]) => [env, d ? deploymentDto(d, env) : null])),
    };
  }
  const opts = { environment: query.environment, limit: query.limit };
  const [rows, rollouts] = await readTogether(db, [
    () => deploymentHistory(db, projectId, prompt, opts),
    () => rolloutEvents(db, projectId, prompt.id, opts),
  ]);
  const data = rows.map((r) => deploymentDto(r.deployment, r.environment, r.actorName));
  // `data` stays the deployments alone, as readers of this route expect; `entries` adds the rollouts' events.
  return { data, entries: mergeReleaseLog(data, rollouts, opts.limit ?? 200) };
}

/** GET /api/v1/prompts/{name}/versions/{n}/release-plan: what version n still needs before `environment` serves it. */
export async function getVersionReleasePlan(
  db: Db,
  projectId: string,
  name: string,
  rawVersion: string | undefined,
  environment: string,
) {
  const prompt = await getPrompt(db, projectId, name);
  const version = versionOf(rawVersion);
  await getVersion(db, prompt, version);
  const env = await getEnvironmentRow(db, projectId, environment);
  return planFor(db, prompt, env, version);
}

/** GET /api/v1/prompts/{name}/drafts: the prompt's open drafts, most recently changed first. */
export async function listPromptDrafts(db: Db, projectId: string, name: string) {
  const prompt = await getPrompt(db, projectId, name);
  return { data: (await listDrafts(db, prompt.id)).map((r) => draftDto(r.draft, r.ownerName)) };
}

/** GET /api/v1/prompts/{name}/reviews: the prompt's review requests, newest first. */
export async function listPromptReviews(
  db: Db,
  projectId: string,
  name: string,
  query: { status?: ReviewRow["status"] } = {},
) {
  const prompt = await getPrompt(db, projectId, name);
  const rows = await listReviews(db, projectId, { promptId: prompt.id, status: query.status });
  return {
    data: rows.map((r) =>
      reviewDto(r.review, { prompt: r.promptName, environment: r.environment, requester: r.requesterName }),
    ),
  };
}

/** GET /api/v1/drafts/{id}: the draft, with its base and the latest version and its diffs against both. */
export async function getDraft(db: Db, projectId: string, id: string) {
  const d = await draftDiffs(db, projectId, id);
  return {
    ...draftDto(d.draft),
    base: d.base,
    latest: d.latest,
    diffAgainstBase: d.againstBase,
    diffAgainstLatest: d.againstLatest,
  };
}

/** GET /api/v1/prompts/{name}/versions: how many of the newest versions (listVersions). */
export const listVersionsQuery = z.object({
  limit: countParam("limit", 1, 5000).default(500).describe("How many of the newest versions (1–5000)"),
});
/** GET /api/v1/prompts/{name}/deployments: the history in one environment or all, or what was live `at` (listPromptDeployments). */
export const deploymentsQuery = z.object({
  environment: z.string().optional().describe("Only this environment's history (default: every environment's)"),
  at: z.iso
    .datetime({ offset: true, error: "at must be an ISO 8601 date-time, e.g. 2026-11-17T15:00:00Z" })
    .optional()
    .describe("Instead of the history: what each environment served at this moment (ISO 8601)"),
  limit: countParam("limit", 1, 2000).default(200).describe("How many releases, newest first (1–2000)"),
});
/** GET …/versions/{n}/release-plan: the environment (production by default) of getVersionReleasePlan. */
export const releasePlanQuery = z.object({
  environment: environmentNameSchema.default("production").describe("The environment the version would be released to"),
});

/** GET /api/v1/prompts/{name}/reviews?status= (listPromptReviews). */
export const promptReviewsQuery = z.object({
  status: z.enum(["pending", "approved", "rejected", "cancelled"]).optional().describe("Only reviews in this state"),
});
