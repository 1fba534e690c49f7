// The prompt page (read model): every read the page needs, across registry, release, experiments and
// evaluation, and the decisions about them — which version the page shows, which one the playground
// runs, what each environment serves and what it would roll back to. The page renders it and decides nothing.
import type { DomainContext } from "../context";
import { classifyDiff } from "../registry/changes/compat";
import { describeDiff } from "../registry/changes/describe";
import type { ContentDiff } from "../registry/changes/diff";
import type { PromptRow } from "../registry/prompts";
import { deploymentDto } from "../release/dto";
import { listEnvironmentRows } from "../release/environments";
import { planFor } from "../release/plan/plan-facts";
import { mergeReleaseLog } from "../release/release-log";
import { placementOf } from "../release/status";
import { readPromptPage, type PromptPageReads } from "./prompt-overview-read";

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
  const envRows = await listEnvironmentRows(db, projectId);
  const envFilter = envRows.some((e) => e.name === query.env) ? query.env : undefined;
  const at = query.at && !Number.isNaN(Date.parse(query.at)) ? new Date(query.at) : undefined;
  const r = await readPromptPage(ctx, prompt, envRows, at);
  const versions = versionOptions(r);
  const shownNumber = shownVersion(
    r.versionRows.map((x) => x.version.version),
    prompt.latestVersion,
    query.version ?? query.show,
  );
  const shownRow = r.versionRows.find((x) => x.version.version === shownNumber)?.version;
  const shownPlace = versions.find((v) => v.version === shownNumber);
  const shown =
    shownRow && shownPlace ? { ...shownPlace, content: shownRow.content, commitMessage: shownRow.commitMessage } : null;
  // What the shown version still needs before each environment (the plan the release operations check).
  const plans = shownRow ? await Promise.all(envRows.map((e) => planFor(db, prompt, e, shownRow.version))) : [];
  const running = r.experiments.filter((e) => e.status === "running").map((e) => ({ ...e, subjects: e.subjects ?? 0 }));
  return {
    /** The newest version's kind: the header's badge. */
    kind: r.versionRows[0]?.version.content.type ?? ("text" as const),
    environments: environmentViews(envRows, r),
    versions,
    shown,
    // The Playground runs the version in view: switching it in either place switches both (?version=).
    playVersion: shownNumber,
    playVersions: r.versionRows.map(({ version: v }, i) => ({
      ...versions[i]!,
      model: v.content.config.model ?? null,
      content: v.content,
    })),
    plans,
    timeline: versionTimeline(r, versions),
    envFilter,
    ...releaseHistory(r, envFilter),
    ...reviewsAndDrafts(r),
    running,
    otherExperiments: r.experiments.length - running.length,
    costs: r.costs,
    onlineRules: r.onlineRules,
    openAlerts: r.openAlerts,
    connections: r.connections.map((c) => ({ id: c.id, name: c.name, provider: c.provider, isDefault: c.isDefault })),
    scores: r.scores,
    datasets: r.datasets.map((d) => ({ id: d.id, name: d.name })),
    comments: shownRow ? r.comments.filter((c) => c.version === shownRow.version) : [],
    at: at?.toISOString(),
    /** The prompts that include this one where an environment serves them. */
    usedBy: r.usedBy,
    liveAt: at && r.atRows ? envRows.map((e, i) => ({ environment: e.name, live: r.atRows![i] ?? null })) : null,
  };
}

function environmentViews(envRows: Awaited<ReturnType<typeof listEnvironmentRows>>, r: PromptPageReads) {
  return envRows.map((e, i): EnvironmentView => {
    const l = r.live.find((x) => x.environment === e.name)?.live;
    const newest = r.history.find((h) => h.environment === e.name);
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
      previous: r.previous[i] ?? null,
    };
  });
}

function versionOptions(r: PromptPageReads) {
  return r.versionRows.map(({ version: v }): VersionOption => {
    const p = placementOf(r.statuses, v.version);
    return {
      version: v.version,
      commitMessage: v.commitMessage,
      status: p.status,
      liveIn: p.liveIn,
      wasLiveIn: p.wasLiveIn,
    };
  });
}

function versionTimeline(r: PromptPageReads, versions: VersionOption[]) {
  return r.versionRows.map(({ version: v, authorName }, i) => ({
    ...versions[i]!,
    deleted: r.deleted.has(v.version),
    labels: r.labelRows.filter((l) => l.version === v.version).map((l) => l.label),
    author: authorName ?? v.authorLabel,
    createdAt: v.createdAt.toISOString(),
    // The version its diff is from: the one before, unless it was edited from an older one.
    base: v.baseVersion,
    summary: v.diff ? describeDiff(v.diff as ContentDiff).slice(0, 6) : [],
    // Version 1's diff is from nothing: no application could depend on what came before.
    breaking: v.diff && v.version > 1 ? classifyDiff(v.diff as ContentDiff).breaking.map((c) => c.message) : [],
  }));
}

function releaseHistory(r: PromptPageReads, envFilter: string | undefined) {
  const history = r.history.filter((h) => !envFilter || h.environment === envFilter);
  return {
    deployments: history.map((h) => ({
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
      history.map((h) => deploymentDto(h.deployment, h.environment, h.actorName)),
      r.rollouts.filter((x) => !envFilter || x.environment === envFilter),
      300,
    ),
  };
}

function reviewsAndDrafts(r: PromptPageReads) {
  const memberName = new Map(r.members.map((m) => [m.userId, m.name || m.email]));
  return {
    pendingReviews: r.reviews.filter((x) => x.review.status === "pending"),
    decidedReviews: r.reviews
      .filter((x) => x.review.status !== "pending")
      .slice(0, 5)
      .map((x) => ({
        id: x.review.id,
        status: x.review.status,
        version: x.review.version,
        environment: x.environment,
        decidedBy: x.review.decidedBy ? (memberName.get(x.review.decidedBy) ?? "a former member") : null,
        comment: x.review.decisionComment,
      })),
    drafts: r.drafts.map((d) => ({
      id: d.draft.id,
      name: d.draft.name,
      owner: d.ownerName ?? "unknown",
      baseVersion: d.draft.baseVersion,
      updatedAt: d.draft.updatedAt.toISOString(),
    })),
  };
}

export type PromptOverview = Awaited<ReturnType<typeof promptOverview>>;
