// The prompt page's larger sections, rendered on the server like the page.
import type { Actor } from "@/lib/auth/permissions";
import type { promptOverview } from "@/lib/views/prompt-overview";
import { CommentThread } from "@/components/release/comment-thread";
import { blockedReason } from "@/components/blocked-reasons";
import { Card } from "@/components/ui/card";
import { statusLabel } from "@/components/release/release-badges";
import { addCommentAction } from "../_actions";
import { DeploymentTimeline } from "./deployment-timeline";
import { DraftsPanel } from "./drafts-panel";
import { EvaluationCards } from "./evaluation-cards";
import { LiveAtCard } from "./live-at-card";
import { Playground } from "./playground";
import { playgroundVariables } from "./playground-values";
import { ReviewsCard } from "./reviews-card";
import { VersionStatsTable } from "./version-stats-table";
import { VersionTimeline } from "./version-timeline";
import { reviewView } from "./types";

type Overview = Awaited<ReturnType<typeof promptOverview>>;

/** The playground, with every version it can run and what each asks for. */
export function PlaygroundCard({
  slug,
  name,
  o,
  blocked,
}: {
  slug: string;
  name: string;
  o: Overview;
  blocked: string | null;
}) {
  return (
    <Card
      title="Playground"
      id="playground"
      description="Run a version with your own values against its model, through the project's model connection; compare two versions, or two models, on the same inputs."
    >
      <Playground
        slug={slug}
        prompt={name}
        version={o.playVersion}
        versions={o.playVersions.map((v) => ({
          version: v.version,
          label: `v${v.version} · ${statusLabel(v.status, v.liveIn)}`,
          model: v.model,
          variables: playgroundVariables(v.content),
        }))}
        connections={o.connections}
        datasets={o.datasets}
        blocked={blocked}
      />
    </Card>
  );
}

/** The wide column: the versions, the deployments log and the cost and latency of each version. */
export function HistoryColumn({
  slug,
  name,
  actor,
  o,
  hrefFor,
}: {
  slug: string;
  name: string;
  actor: Actor;
  o: Overview;
  hrefFor: (env?: string) => string;
}) {
  return (
    <div className="flex min-w-0 flex-col gap-6 lg:col-span-2">
      <Card
        title="Version history"
        description="Versions never change once saved; each edit makes a new one."
        id="versions"
      >
        <VersionTimeline
          slug={slug}
          prompt={name}
          actor={actor}
          environments={o.environments}
          versions={o.versions}
          items={o.timeline}
        />
      </Card>
      <Card
        title="Deployments"
        description="Every promotion and rollback, and each step of a guarded rollout, newest first."
        id="deployments"
      >
        <DeploymentTimeline
          items={o.releaseLog}
          environments={o.environments.map((e) => e.name)}
          current={o.envFilter}
          hrefFor={hrefFor}
        />
      </Card>
      <Card
        title="Cost and latency per version"
        id="version-costs"
        description="Averages per call from the generation events applications send, in every environment, with or without an experiment."
      >
        <VersionStatsTable stats={o.costs} />
      </Card>
    </div>
  );
}

/** The side column: reviews, evaluations, comments on the version shown, draft copies, and what was live when. */
export function SideColumn({
  slug,
  name,
  actor,
  userId,
  o,
  query,
  draftFrom,
}: {
  slug: string;
  name: string;
  actor: Actor;
  userId: string;
  o: Overview;
  query: Record<string, string>;
  draftFrom: string | undefined;
}) {
  const decideBlocked = blockedReason(actor, "review.decide");
  return (
    <div className="flex min-w-0 flex-col gap-6">
      <ReviewsCard
        slug={slug}
        actor={actor}
        pending={o.pendingReviews.map((r) => reviewView(r, userId, decideBlocked))}
        decided={o.decidedReviews}
        decideBlocked={decideBlocked}
        environments={o.environments}
      />
      <EvaluationCards
        slug={slug}
        prompt={name}
        scores={o.scores}
        hasDatasets={o.datasets.length > 0}
        onlineRules={o.onlineRules}
        shownVersion={o.shown?.version}
      />
      <Card title="Comments" id="comments" description={o.shown ? `On v${o.shown.version}.` : undefined}>
        {o.shown ? (
          <CommentThread
            slug={slug}
            prompt={name}
            version={o.shown.version}
            comments={o.comments}
            blocked={blockedReason(actor, "comment.write")}
            send={addCommentAction}
          />
        ) : (
          <p className="text-sm text-slate-600">No version yet.</p>
        )}
      </Card>
      <Card title="Draft copies" id="drafts">
        <DraftsPanel
          slug={slug}
          prompt={name}
          versions={o.versions}
          blocked={blockedReason(actor, "draft.write")}
          initialFrom={draftFrom ? Number(draftFrom) || undefined : undefined}
          inView={o.shown?.version}
          drafts={o.drafts}
        />
      </Card>
      <LiveAtCard at={o.at} query={query} rows={o.liveAt} />
    </div>
  );
}
