// The prompt page (read model): every read the page needs, across registry, release, experiments and
// evaluation, and the decisions about them — which version the page shows, which one the playground
// runs, what each environment serves and what it would roll back to. The page renders it and decides nothing.
import type { DomainContext } from "../context";
import { listDependents } from "../release/dependents";
import { listMembers } from "../auth/projects";
import { listDatasets } from "../evaluation/datasets";
import { listAlerts } from "../evaluation/online/alerts";
import { listOnlineRules } from "../evaluation/online/rules";
import { versionScores } from "../evaluation/runs";
import { experimentSummaries } from "../experiments/summaries";
import { versionStats } from "../experiments/version-stats";
import { connectionChoices } from "../llm/connections";
import { archivedVersions } from "../registry/archive";
import { classifyDiff } from "../registry/compat";
import { describeDiff } from "../registry/describe";
import type { ContentDiff } from "../registry/diff";
import type { PromptRow } from "../registry/prompts";
import { listVersions } from "../registry/versions";
import { listComments } from "../release/comments";
import { deploymentHistory, liveAt, liveVersions, previousLiveVersion } from "../release/deployments";
import { listDrafts } from "../release/drafts";
import { deploymentDto } from "../release/dto";
import { listEnvironments } from "../release/environments";
import { planFor } from "../release/plan-facts";
import { listReviews } from "../release/reviews";
import { mergeReleaseLog, rolloutEvents } from "../release/release-log";
import { placementOf, versionStatuses } from "../release/status";
import { listVersionLabels } from "../release/version-labels";

/** A version as pickers and release dialogs show it. */
export type VersionOption = {
  version: number;
  commitMessage: string;
  status: "draft" | "testing" | "production" | "archived";
  liveIn: string[];
  wasLiveIn: string[];
};

/** An environment as the release panels show it. */
export type EnvironmentView = {
  name: string;
  protected: boolean;
  requiresReview: boolean;
  requiresLiveIn: string | null;
  live: { version: number; at: string; action: string; by: string } | null;
  /** The version served before the current one: the default rollback target. */
  previous: number | null;
  /** Every release here is a guarded rollout: its steps (null: the rollouts' default); undefined: no such rule. */
  rolloutSteps?: { percent: number; minMinutes: number; minSubjects: number }[] | null;
};

/**
 * What the URL asks for: an environment to filter deployments by, a moment, the version in view (?version=,
 * which the editor's links carry too; ?show= as links made before it say).
 */
export type PromptOverviewQuery = { env?: string; at?: string; version?: string; show?: string };

/**
 * The version in view: the prompt card shows it, the Playground runs it and "Edit prompt" starts from it.
 * One rule for the prompt page, its Playground and the editor: the version asked for if it exists,
 * else the newest; what each environment serves is shown beside it.
 */
export function shownVersion(versions: number[], latest: number, asked?: string): number {
  return asked !== undefined && versions.includes(Number(asked)) ? Number(asked) : latest;
}

export async function promptOverview(ctx: DomainContext, prompt: PromptRow, query: PromptOverviewQuery) {
  const { db, projectId } = ctx;
  const name = prompt.name;
  const envRows = await listEnvironments(db, projectId);
  const envFilter = envRows.some((e) => e.name === query.env) ? query.env : undefined;
  const at = query.at && !Number.isNaN(Date.parse(query.at)) ? new Date(query.at) : undefined;
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
  const memberName = new Map(members.map((m) => [m.userId, m.name || m.email]));

  const environments: EnvironmentView[] = envRows.map((e, i) => {
    const l = live.find((x) => x.environment === e.name)?.live;
    const newest = history.find((h) => h.environment === e.name);
    const by =
      newest && newest.deployment.version === l?.version
        ? (newest.actorName ?? newest.deployment.actorLabel)
        : "someone";
    return {
      name: e.name,
      protected: e.protected,
      requiresReview: e.requiresReview,
      requiresLiveIn: e.requiresLiveIn,
      ...(e.guardedRollout && { rolloutSteps: e.guardedRollout.steps }),
      live: l ? { version: l.version, at: l.at.toISOString(), action: l.action, by } : null,
      previous: previous[i] ?? null,
    };
  });
  const versions: VersionOption[] = versionRows.map(({ version: v }) => {
    const p = placementOf(statuses, v.version);
    return {
      version: v.version,
      commitMessage: v.commitMessage,
      status: p.status,
      liveIn: p.liveIn,
      wasLiveIn: p.wasLiveIn,
    };
  });

  const shownNumber = shownVersion(
    versionRows.map((r) => r.version.version),
    prompt.latestVersion,
    query.version ?? query.show,
  );
  const shownRow = versionRows.find((r) => r.version.version === shownNumber)?.version;
  const shownPlace = versions.find((v) => v.version === shownNumber);
  const shown =
    shownRow && shownPlace ? { ...shownPlace, content: shownRow.content, commitMessage: shownRow.commitMessage } : null;
  // What the shown version still needs before each environment (the plan the release operations check).
  const plans = shownRow ? await Promise.all(envRows.map((e) => planFor(db, prompt, e, shownRow.version))) : [];
  const running = experiments.filter((e) => e.status === "running").map((e) => ({ ...e, subjects: e.subjects ?? 0 }));

  return {
    /** The newest version's kind: the header's badge. */
    kind: versionRows[0]?.version.content.type ?? ("text" as const),
    environments,
    versions,
    shown,
    // The Playground runs the version in view: switching it in either place switches both (?version=).
    playVersion: shownNumber,
    playVersions: versionRows.map(({ version: v }, i) => ({
      ...versions[i]!,
      model: v.content.config.model ?? null,
      content: v.content,
    })),
    plans,
    timeline: versionRows.map(({ version: v, authorName }, i) => ({
      ...versions[i]!,
      archived: archived.has(v.version),
      labels: labelRows.filter((l) => l.version === v.version).map((l) => l.label),
      author: authorName ?? v.authorLabel,
      createdAt: v.createdAt.toISOString(),
      // The version its diff is from: the one before, unless it was edited from an older one.
      base: v.baseVersion,
      summary: v.diff ? describeDiff(v.diff as ContentDiff).slice(0, 6) : [],
      // Version 1's diff is from nothing: no application could depend on what came before.
      breaking: v.diff && v.version > 1 ? classifyDiff(v.diff as ContentDiff).breaking.map((c) => c.message) : [],
    })),
    envFilter,
    deployments: history
      .filter((h) => !envFilter || h.environment === envFilter)
      .map((h) => ({
        id: h.deployment.id,
        environment: h.environment,
        version: h.deployment.version,
        action: h.deployment.action,
        by: h.actorName ?? h.deployment.actorLabel,
        reason: h.deployment.reason,
        at: h.deployment.createdAt.toISOString(),
      })),
    /** The release log: the deployments above with the guarded rollouts' events, newest first. */
    releaseLog: mergeReleaseLog(
      history
        .filter((h) => !envFilter || h.environment === envFilter)
        .map((h) => deploymentDto(h.deployment, h.environment, h.actorName)),
      rollouts.filter((r) => !envFilter || r.environment === envFilter),
      300,
    ),
    pendingReviews: reviews.filter((r) => r.review.status === "pending"),
    decidedReviews: reviews
      .filter((r) => r.review.status !== "pending")
      .slice(0, 5)
      .map((r) => ({
        id: r.review.id,
        status: r.review.status,
        version: r.review.version,
        environment: r.environment,
        decidedBy: r.review.decidedBy ? (memberName.get(r.review.decidedBy) ?? "a former member") : null,
        comment: r.review.decisionComment,
      })),
    drafts: drafts.map((d) => ({
      id: d.draft.id,
      name: d.draft.name,
      owner: d.ownerName ?? "unknown",
      baseVersion: d.draft.baseVersion,
      updatedAt: d.draft.updatedAt.toISOString(),
    })),
    running,
    otherExperiments: experiments.length - running.length,
    costs,
    onlineRules,
    openAlerts,
    connections: connections.map((c) => ({ id: c.id, name: c.name, provider: c.provider, isDefault: c.isDefault })),
    scores,
    datasets: datasets.map((d) => ({ id: d.id, name: d.name })),
    comments: shownRow ? comments.filter((c) => c.version === shownRow.version) : [],
    at: at?.toISOString(),
    /** The prompts that include this one where an environment serves them. */
    usedBy,
    liveAt: at && atRows ? envRows.map((e, i) => ({ environment: e.name, live: atRows[i] ?? null })) : null,
  };
}

export type PromptOverview = Awaited<ReturnType<typeof promptOverview>>;
