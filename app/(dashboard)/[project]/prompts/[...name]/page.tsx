import { domainContext } from "@/lib/server/wiring/domain";
import { promptFileChoices } from "@/lib/evaluation/prompt-files";
import { encodePromptName } from "@/lib/registry/name-rules";
import { promptOverview } from "@/lib/views/prompt-overview";
import { promptRollouts } from "@/lib/views/prompt-rollouts";
import { requirePrompt } from "@/lib/server/wiring/session";
import { CommentThread } from "@/components/release/comment-thread";
import { blockedReason } from "@/components/permissions";
import { Card } from "@/components/ui/card";
import { statusLabel } from "@/components/release/badges";
import { addCommentAction } from "./_actions";
import { AlertsBanner } from "./_components/alerts-banner";
import { DeploymentTimeline } from "./_components/deployment-timeline";
import { DraftsPanel } from "./_components/drafts-panel";
import { EnvironmentPanel } from "./_components/environment-panel";
import { EvaluationCards } from "./_components/evaluation-cards";
import { ExperimentsCard } from "./_components/experiments-card";
import { LiveAtCard } from "./_components/live-at-card";
import { Playground } from "./_components/playground";
import { playgroundVariables } from "./_components/playground-values";
import { PromptCard } from "./_components/prompt-card";
import { PromptHeader } from "./_components/prompt-header";
import { ReleasePlanCard } from "./_components/release-plan-card";
import { ReviewsCard } from "./_components/reviews-card";
import { RolloutsCard } from "./_components/rollouts-card";
import { VersionStatsTable } from "./_components/version-stats-table";
import { VersionDownloads } from "./_components/version-downloads";
import { VersionTimeline } from "./_components/version-timeline";
import { UsedBy } from "./_components/used-by";
import { reviewView } from "./_components/types";
import { promptPageTitle, type NamedPageProps } from "@/lib/server/wiring/page-props";

type Search = { at?: string; env?: string; draftFrom?: string; version?: string; show?: string };

export const generateMetadata = promptPageTitle("");

export default async function PromptPage({ params, searchParams }: NamedPageProps<Search>) {
  const { project: slug, name: segments } = await params;
  const sp = await searchParams;
  const { ctx, db, prompt, name } = await requirePrompt(slug, segments);
  const domain = await domainContext(db, ctx.actor, ctx.project.id);
  const o = await promptOverview(domain, prompt, sp);
  const { environments, versions, shown } = o;
  // A skill has files, not messages: it has no prompt file to download (its agents install it from the skills URL).
  const downloads = shown && o.kind !== "skill" ? await promptFileChoices(domain, name, shown.version) : [];
  const rollouts = await promptRollouts(db, ctx.project.id, name);
  const decideBlocked = blockedReason(ctx.actor, "review.decide");
  const query = Object.fromEntries(Object.entries(sp).filter(([, v]) => typeof v === "string")) as Record<
    string,
    string
  >;
  const hrefFor = (env?: string) => {
    const q = new URLSearchParams({ ...query, ...(env ? { env } : {}) });
    if (!env) q.delete("env");
    const s = q.toString();
    return `/${slug}/prompts/${encodePromptName(name)}${s ? `?${s}` : ""}#deployments`;
  };

  return (
    <div className="flex flex-col gap-6">
      <PromptHeader
        slug={slug}
        prompt={prompt}
        kind={o.kind}
        version={shown?.version}
        editBlocked={blockedReason(ctx.actor, "version.create")}
      />
      <AlertsBanner alerts={o.openAlerts} />
      {shown ? (
        <PromptCard
          slug={slug}
          shown={shown}
          versions={versions}
          environments={environments}
          footer={
            downloads.length ? (
              <VersionDownloads slug={slug} prompt={name} version={shown.version} choices={downloads} />
            ) : null
          }
        />
      ) : null}
      {shown && o.plans.length ? (
        <Card
          title="Release plan"
          id="release"
          description={`What version ${shown.version} needs before each environment serves it: the environment's rules, met and missing, with what to do next.`}
        >
          <ReleasePlanCard
            slug={slug}
            prompt={name}
            actor={ctx.actor}
            version={shown.version}
            plans={o.plans}
            environments={environments}
            versions={versions}
          />
        </Card>
      ) : null}
      {/* A skill is never sent to a model alone: the prompts that include it are (Used by). */}
      {shown && o.kind !== "skill" ? (
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
            blocked={blockedReason(ctx.actor, "evaluation.run")}
          />
        </Card>
      ) : null}
      <Card
        title="Environments"
        description="What applications get when they ask for this prompt in each environment."
        id="environments"
      >
        <EnvironmentPanel slug={slug} prompt={name} actor={ctx.actor} environments={environments} versions={versions} />
      </Card>
      {o.usedBy.length ? (
        <Card
          title="Used by"
          id="used-by"
          description={`Prompts that include ${name} as each environment serves it: releasing a version of ${name} there changes what they render, so their rules apply to it.`}
        >
          <UsedBy slug={slug} rows={o.usedBy} />
        </Card>
      ) : null}
      {/* Experiments and guarded rollouts split what an application resolves; a skill is refused both
          (it reaches applications through the prompts that include it), so its page offers neither. */}
      {o.kind === "skill" ? null : (
        <>
          <ExperimentsCard
            slug={slug}
            prompt={name}
            running={o.running}
            others={o.otherExperiments}
            blocked={blockedReason(ctx.actor, "experiment.manage")}
          />
          <RolloutsCard
            slug={slug}
            prompt={name}
            actor={ctx.actor}
            environments={environments}
            versions={versions}
            active={rollouts.active}
            ended={rollouts.ended}
          />
        </>
      )}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="flex min-w-0 flex-col gap-6 lg:col-span-2">
          <Card
            title="Version history"
            description="Versions never change once saved; each edit makes a new one."
            id="versions"
          >
            <VersionTimeline
              slug={slug}
              prompt={name}
              actor={ctx.actor}
              environments={environments}
              versions={versions}
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
              environments={environments.map((e) => e.name)}
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
        <div className="flex min-w-0 flex-col gap-6">
          <ReviewsCard
            slug={slug}
            actor={ctx.actor}
            pending={o.pendingReviews.map((r) => reviewView(r, ctx.user.id, decideBlocked))}
            decided={o.decidedReviews}
            decideBlocked={decideBlocked}
            environments={environments}
          />
          <EvaluationCards
            slug={slug}
            prompt={name}
            scores={o.scores}
            hasDatasets={o.datasets.length > 0}
            onlineRules={o.onlineRules}
            shownVersion={shown?.version}
          />
          <Card title="Comments" id="comments" description={shown ? `On v${shown.version}.` : undefined}>
            {shown ? (
              <CommentThread
                slug={slug}
                prompt={name}
                version={shown.version}
                comments={o.comments}
                blocked={blockedReason(ctx.actor, "comment.write")}
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
              versions={versions}
              blocked={blockedReason(ctx.actor, "draft.write")}
              initialFrom={sp.draftFrom ? Number(sp.draftFrom) || undefined : undefined}
              inView={shown?.version}
              drafts={o.drafts}
            />
          </Card>
          <LiveAtCard at={o.at} query={query} rows={o.liveAt} />
        </div>
      </div>
    </div>
  );
}
