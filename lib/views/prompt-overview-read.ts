// The prompt page's reads (prompt-overview.ts): every row the page shows, read at once.
import { listDependents } from "../release/dependents";
import { listMembers } from "../auth/projects";
import type { DomainContext } from "../context";
import { listDatasets } from "../evaluation/datasets";
import { listAlerts } from "../evaluation/online/alerts";
import { listOnlineRules } from "../evaluation/online/rules";
import { versionScores } from "../evaluation/runs";
import { experimentSummaries } from "../experiments/analysis/summaries";
import { versionStats } from "../experiments/version-stats";
import { connectionChoices } from "../llm/connections";
import { archivedVersions } from "../registry/archive";
import type { PromptRow } from "../registry/prompts";
import { listVersions } from "../registry/versions";
import { listComments } from "../release/reviews/comments";
import { deploymentHistory, liveAt, liveVersions, previousLiveVersion } from "../release/deployments";
import { listDrafts } from "../release/drafts/drafts";
import type { listEnvironments } from "../release/environments";
import { listReviews } from "../release/reviews/reviews";
import { rolloutEvents } from "../release/release-log";
import { versionStatuses } from "../release/status";
import { listVersionLabels } from "../release/version-labels/version-labels";

export type PromptPageReads = Awaited<ReturnType<typeof readPromptPage>>;

export async function readPromptPage(
  ctx: DomainContext,
  prompt: PromptRow,
  envRows: Awaited<ReturnType<typeof listEnvironments>>,
  at: Date | undefined,
) {
  const { db, projectId } = ctx;
  const name = prompt.name;
  const [
    versionRows,
    statuses,
    live,
    history,
    reviews,
    drafts,
    previous,
    atRows,
    members,
    experiments,
    costs,
    onlineRules,
    openAlerts,
    connections,
    scores,
    datasets,
    comments,
    archived,
    usedBy,
    rollouts,
    labelRows,
  ] = await Promise.all([
    listVersions(db, prompt),
    versionStatuses(db, prompt.id),
    liveVersions(db, projectId, prompt.id),
    deploymentHistory(db, projectId, prompt, { limit: 300 }),
    listReviews(db, projectId, { promptId: prompt.id, limit: 50 }),
    listDrafts(db, prompt.id),
    Promise.all(envRows.map((e) => previousLiveVersion(db, prompt.id, e.id))),
    at ? Promise.all(envRows.map((e) => liveAt(db, prompt.id, e.id, at))) : Promise.resolve(null),
    listMembers(db, projectId),
    experimentSummaries(db, projectId, { prompt: name }),
    versionStats(db, prompt.id),
    listOnlineRules(db, projectId, name),
    listAlerts(db, projectId, { prompt: name, open: true }),
    connectionChoices(ctx),
    versionScores(db, prompt.id),
    listDatasets(db, projectId, { prompt: name }),
    listComments(db, projectId, name),
    archivedVersions(db, prompt.id),
    listDependents(db, projectId, name),
    rolloutEvents(db, projectId, prompt.id, { limit: 300 }),
    listVersionLabels(db, prompt.id),
  ]);
  return {
    versionRows,
    statuses,
    live,
    history,
    reviews,
    drafts,
    previous,
    atRows,
    members,
    experiments,
    costs,
    onlineRules,
    openAlerts,
    connections,
    scores,
    datasets,
    comments,
    archived,
    usedBy,
    rollouts,
    labelRows,
  };
}
