// The prompt page's reads (prompt-overview.ts): every row the page shows, read at once.
import { listPromptDependents } from "../release/dependents";
import { listMembers } from "../auth/projects";
import type { DomainContext } from "../context";
import { listDatasets } from "../evaluation/datasets";
import { listAlerts } from "../evaluation/online/alerts";
import { listOnlineRules } from "../evaluation/online/rules";
import { versionScores } from "../evaluation/runs";
import { experimentSummaries } from "../experiments/analysis/experiment-summaries";
import { versionStats } from "../experiments/version-stats";
import { connectionChoices } from "../llm/connections";
import { deletedVersions } from "../registry/deletions";
import type { PromptRow } from "../registry/prompts";
import { listVersionRows } from "../registry/versions";
import { listPromptComments } from "../release/reviews/comments";
import { deploymentHistory, liveAt, liveVersions, previousLiveVersion } from "../release/deployments";
import { listDrafts } from "../release/drafts/drafts";
import type { listEnvironmentRows } from "../release/environments";
import { listReviews } from "../release/reviews/reviews";
import { rolloutEvents } from "../release/release-log";
import { versionStatuses } from "../release/status";
import { listVersionLabelRows } from "../release/version-labels/version-labels";

export type PromptPageReads = Awaited<ReturnType<typeof readPromptPage>>;

export async function readPromptPage(
  ctx: DomainContext,
  prompt: PromptRow,
  envRows: Awaited<ReturnType<typeof listEnvironmentRows>>,
  at: Date | undefined,
) {
  const { db, projectId } = ctx;
  const name = prompt.name;
  return allOf({
    versionRows: listVersionRows(db, prompt),
    statuses: versionStatuses(db, prompt.id),
    live: liveVersions(db, projectId, prompt.id),
    history: deploymentHistory(db, projectId, prompt, { limit: 300 }),
    reviews: listReviews(db, projectId, { promptId: prompt.id, limit: 50 }),
    drafts: listDrafts(db, prompt.id),
    previous: Promise.all(envRows.map((e) => previousLiveVersion(db, prompt.id, e.id))),
    atRows: at ? Promise.all(envRows.map((e) => liveAt(db, prompt.id, e.id, at))) : Promise.resolve(null),
    members: listMembers(db, projectId),
    experiments: experimentSummaries(db, projectId, { prompt: name }),
    costs: versionStats(db, prompt.id),
    onlineRules: listOnlineRules(db, projectId, name),
    openAlerts: listAlerts(db, projectId, { prompt: name, open: true }),
    connections: connectionChoices(ctx),
    scores: versionScores(db, prompt.id),
    datasets: listDatasets(db, projectId, { prompt: name }),
    comments: listPromptComments(db, projectId, name),
    deleted: deletedVersions(db, prompt.id),
    usedBy: listPromptDependents(db, projectId, name),
    rollouts: rolloutEvents(db, projectId, prompt.id, { limit: 300 }),
    labelRows: listVersionLabelRows(db, prompt.id),
  });
}

/** Promise.all over an object's values: each key's promise settled, under the same key. */
async function allOf<T extends Record<string, unknown>>(reads: T): Promise<{ [K in keyof T]: Awaited<T[K]> }> {
  const keys = Object.keys(reads);
  const values = await Promise.all(keys.map((k) => reads[k]));
  return Object.fromEntries(keys.map((k, i) => [k, values[i]])) as { [K in keyof T]: Awaited<T[K]> };
}
