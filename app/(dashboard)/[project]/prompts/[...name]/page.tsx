import { decodePromptPath, encodePromptName } from "@/lib/registry/name-rules";
import { refPromptName } from "@/lib/registry/partial-refs";
import Link from "next/link";
import { listMembers } from "@/lib/auth/projects";
import { experimentSummaries } from "@/lib/experiments/summaries";
import { versionStats } from "@/lib/experiments/version-stats";
import { classifyDiff } from "@/lib/registry/compat";
import { describeDiff } from "@/lib/registry/describe";
import { listVersions } from "@/lib/registry/versions";
import { listAlerts } from "@/lib/evaluation/online/alerts";
import { connectionChoices } from "@/lib/llm/connections";
import { versionScores } from "@/lib/evaluation/runs";
import { listComments } from "@/lib/release/comments";
import { CommentThread } from "@/components/release/comment-thread";
import { listDatasets } from "@/lib/evaluation/datasets";
import { listOnlineRules } from "@/lib/evaluation/online/rules";
import { deploymentHistory, liveAt, liveVersions, previousLiveVersion } from "@/lib/release/deployments";
import { listDrafts } from "@/lib/release/drafts";
import { listEnvironments } from "@/lib/release/environments";
import { listReviews } from "@/lib/release/reviews";
import { planFor } from "@/lib/release/plan-facts";
import { placementOf, versionStatuses } from "@/lib/release/status";
import { requirePrompt } from "@/lib/server/session";
import { blockedReason } from "@/components/permissions";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { Time } from "@/components/ui/time";
import { EnvBadge, statusLabel } from "@/components/release/badges";
import { PromptView } from "@/components/prompt/prompt-view";
import { DeploymentTimeline } from "./_components/deployment-timeline";
import { DraftsPanel } from "./_components/drafts-panel";
import { EvaluationCards } from "./_components/evaluation-cards";
import { addCommentAction } from "./_actions";
import { EnvironmentPanel } from "./_components/environment-panel";
import { ExperimentsCard, type RunningExperimentView } from "./_components/experiments-card";
import { LiveAtPicker } from "./_components/live-at-picker";
import { Playground } from "./_components/playground";
import { playgroundVariables } from "./_components/playground-values";
import { ReleasePlanCard } from "./_components/release-plan-card";
import { ReviewActions } from "./_components/review-decision";
import { ShownVersionPicker } from "./_components/shown-version-picker";
import { VersionStatsTable } from "./_components/version-stats-table";
import { VersionTimeline } from "./_components/version-timeline";
import { archivedVersions } from "@/lib/registry/archive";
import { reviewView, type EnvironmentView, type VersionOption } from "./_components/types";
import { Breadcrumb } from "@/components/ui/breadcrumb";

type Params = { project: string; name: string[] };
type Search = { at?: string; env?: string; draftFrom?: string; show?: string };

export async function generateMetadata({ params }: { params: Promise<Params> }) {
  return { title: decodePromptPath((await params).name) ?? "Prompt" };
}

export default async function PromptPage({
  params,
  searchParams,
}: {
  params: Promise<Params>;
  searchParams: Promise<Search>;
}) {
  const { project: slug, name: segments } = await params;
  const sp = await searchParams;
  const { ctx, db, prompt, name } = await requirePrompt(slug, segments);
  const folders = name.split("/");
  const envRows = await listEnvironments(db, ctx.project.id);
  const envFilter = envRows.some((e) => e.name === sp.env) ? sp.env : undefined;
  const at = sp.at && !Number.isNaN(Date.parse(sp.at)) ? new Date(sp.at) : undefined;
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
    promptDatasets,
    comments,
  ] = await Promise.all([
    listVersions(db, prompt),
    versionStatuses(db, prompt.id),
    liveVersions(db, ctx.project.id, prompt.id),
    deploymentHistory(db, ctx.project.id, prompt, { limit: 300 }),
    listReviews(db, ctx.project.id, { promptId: prompt.id, limit: 50 }),
    listDrafts(db, prompt.id),
    Promise.all(envRows.map((e) => previousLiveVersion(db, prompt.id, e.id))),
    at ? Promise.all(envRows.map((e) => liveAt(db, prompt.id, e.id, at))) : Promise.resolve(null),
    listMembers(db, ctx.project.id),
    experimentSummaries(db, ctx.project.id, { prompt: prompt.name }),
    versionStats(db, prompt.id),
    listOnlineRules(db, ctx.project.id, name),
    listAlerts(db, ctx.project.id, { prompt: name, open: true }),
    connectionChoices(db, ctx.actor, ctx.project.id),
    versionScores(db, prompt.id),
    listDatasets(db, ctx.project.id, { prompt: name }),
    listComments(db, ctx.project.id, name),
  ]);
  const archived = await archivedVersions(db, prompt.id);
  const running: RunningExperimentView[] = experiments
    .filter((e) => e.status === "running")
    .map((e) => ({ ...e, subjects: e.subjects ?? 0 }));
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
  const decideBlocked = blockedReason(ctx.actor, "review.decide");
  const pending = reviews
    .filter((r) => r.review.status === "pending")
    .map((r) => reviewView(r, ctx.user.id, decideBlocked));
  const decided = reviews.filter((r) => r.review.status !== "pending").slice(0, 5);
  const content = versionRows[0]?.version.content;
  // The prompt card shows the chosen version, else what production serves, else the first live one, else the latest.
  const liveOf = (env: string) => environments.find((e) => e.name === env)?.live?.version;
  const defaultShown = liveOf("production") ?? environments.find((e) => e.live)?.live?.version ?? prompt.latestVersion;
  const shownNumber = versionRows.some((r) => r.version.version === Number(sp.show)) ? Number(sp.show) : defaultShown;
  const shown = versionRows.find((r) => r.version.version === shownNumber)?.version;
  const shownPlace = versions.find((v) => v.version === shownNumber);
  // The playground runs the version chosen above (?show=), else the newest one: usually the one just saved.
  const playVersion = sp.show && shown ? shown.version : prompt.latestVersion;
  // What the shown version still needs before each environment (the plan the release operations check).
  const plans = shown ? await Promise.all(envRows.map((e) => planFor(db, prompt, e, shown.version))) : [];
  const editBlocked = blockedReason(ctx.actor, "version.create");
  const query = Object.fromEntries(Object.entries(sp).filter(([, v]) => typeof v === "string")) as Record<
    string,
    string
  >;
  const base = `/${slug}/prompts/${encodePromptName(name)}`;
  const hrefFor = (env?: string) => {
    const q = new URLSearchParams({ ...query, ...(env ? { env } : {}) });
    if (!env) q.delete("env");
    const s = q.toString();
    return `${base}${s ? `?${s}` : ""}#deployments`;
  };

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-3">
        <Breadcrumb
          items={[
            { href: `/${slug}/prompts`, label: "Prompts" },
            ...folders.slice(0, -1).map((f, i) => ({
              href: `/${slug}/prompts?folder=${encodeURIComponent(folders.slice(0, i + 1).join("/"))}`,
              label: f,
            })),
          ]}
        />
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <h1 className="break-all text-2xl font-semibold tracking-tight">{prompt.name}</h1>
            {prompt.description ? (
              <p className="mt-1 max-w-prose text-sm text-slate-700">{prompt.description}</p>
            ) : null}
            <div className="mt-2 flex flex-wrap items-center gap-1.5">
              <Badge tone="blue">{content?.type === "chat" ? "chat" : "text"}</Badge>
              <Badge>latest v{prompt.latestVersion}</Badge>
              {prompt.targetModel ? <Badge tone="violet">{prompt.targetModel}</Badge> : null}
              {prompt.tags.map((t) => (
                <Badge key={t}>{t}</Badge>
              ))}
            </div>
          </div>
          <div className="flex flex-wrap gap-2">
            <LinkButton href={`/${slug}/diff/${encodePromptName(name)}`}>Compare versions</LinkButton>
            {editBlocked ? (
              <span className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-600">{editBlocked}</span>
            ) : (
              <LinkButton href={`/${slug}/edit/${encodePromptName(name)}`} variant="primary">
                Edit prompt
              </LinkButton>
            )}
          </div>
        </div>
      </div>

      {openAlerts.length ? (
        <div
          role="status"
          data-testid="prompt-alerts"
          className={`rounded-md border p-3 text-sm ${openAlerts.some((a) => a.severity === "critical") ? "border-red-300 bg-red-50 text-red-900" : "border-amber-300 bg-amber-50 text-amber-900"}`}
        >
          <p className="font-medium">
            {openAlerts.length === 1 ? "An open alert" : `${openAlerts.length} open alerts`} from online evaluation
          </p>
          <p className="mt-0.5">{openAlerts[0]!.message}</p>
          <Link href={openAlerts[0]!.link} className="mt-1 inline-block font-medium underline">
            See the evaluation
          </Link>
        </div>
      ) : null}

      {shown && shownPlace ? (
        <Card
          title="Prompt"
          id="prompt"
          description={
            <>
              Version {shown.version} · {statusLabel(shownPlace.status, shownPlace.liveIn)}
              {shown.commitMessage ? ` · “${shown.commitMessage}”` : ""}. Variables are marked{" "}
              <mark className="rounded bg-blue-50 px-0.5 font-semibold text-blue-800 ring-1 ring-inset ring-blue-200">
                {"{{like_this}}"}
              </mark>
              .
            </>
          }
          actions={
            <ShownVersionPicker
              shown={shown.version}
              versions={versions.map((v) => ({
                version: v.version,
                label: `v${v.version} · ${statusLabel(v.status, v.liveIn)}`,
              }))}
            />
          }
        >
          <PromptView
            content={shown.content}
            partialHref={(n) => `/${slug}/prompts/${encodePromptName(refPromptName(n))}`}
          />
        </Card>
      ) : null}

      {shown && plans.length ? (
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
            plans={plans}
            environments={environments}
            versions={versions}
          />
        </Card>
      ) : null}

      {shown ? (
        <Card
          title="Playground"
          id="playground"
          description="Run a version with your own values against its model, through the project's model connection; compare two versions, or two models, on the same inputs."
        >
          <Playground
            key={playVersion}
            slug={slug}
            prompt={name}
            version={playVersion}
            versions={versionRows.map(({ version: v }) => ({
              version: v.version,
              label: `v${v.version} · ${statusLabel(placementOf(statuses, v.version).status, placementOf(statuses, v.version).liveIn)}`,
              model: v.content.config.model ?? null,
              variables: playgroundVariables(v.content),
            }))}
            connections={connections.map((c) => ({
              id: c.id,
              name: c.name,
              provider: c.provider,
              isDefault: c.isDefault,
            }))}
            datasets={promptDatasets.map((d) => ({ id: d.id, name: d.name }))}
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

      <ExperimentsCard
        slug={slug}
        prompt={name}
        running={running}
        others={experiments.length - running.length}
        blocked={blockedReason(ctx.actor, "experiment.manage")}
      />

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
              items={versionRows.map(({ version: v, authorName }, i) => ({
                ...versions[i]!,
                archived: archived.has(v.version),
                author: authorName ?? v.authorLabel,
                createdAt: v.createdAt.toISOString(),
                summary: v.diff ? describeDiff(v.diff).slice(0, 6) : [],
                // Version 1's diff is from nothing: no application could depend on what came before.
                breaking: v.diff && v.version > 1 ? classifyDiff(v.diff).breaking.map((c) => c.message) : [],
              }))}
            />
          </Card>
          <Card title="Deployments" description="Every promotion and rollback, newest first." id="deployments">
            <DeploymentTimeline
              items={history
                .filter((h) => !envFilter || h.environment === envFilter)
                .map((h) => ({
                  id: h.deployment.id,
                  environment: h.environment,
                  version: h.deployment.version,
                  action: h.deployment.action,
                  by: h.actorName ?? h.deployment.actorLabel,
                  reason: h.deployment.reason,
                  at: h.deployment.createdAt.toISOString(),
                }))}
              environments={envRows.map((e) => e.name)}
              current={envFilter}
              hrefFor={hrefFor}
            />
          </Card>
          <Card
            title="Cost and latency per version"
            id="version-costs"
            description="Averages per call from the generation events applications send, in every environment, with or without an experiment."
          >
            <VersionStatsTable stats={costs} />
          </Card>
        </div>
        <div className="flex min-w-0 flex-col gap-6">
          <Card
            title="Pending reviews"
            id="reviews"
            description={pending.length && decideBlocked ? decideBlocked : undefined}
          >
            {pending.length ? (
              <ul className="flex flex-col gap-3">
                {pending.map((r) => (
                  <li
                    key={r.id}
                    className="rounded-md border border-slate-200 p-3 text-sm"
                    data-testid="pending-review"
                  >
                    <p className="font-medium text-slate-900">
                      v{r.version} for {r.environment}
                    </p>
                    <p className="text-xs text-slate-600">
                      {r.requester} · <Time value={r.createdAt} />
                    </p>
                    {r.message ? <p className="mt-1 text-slate-700">{r.message}</p> : null}
                    <div className="mt-2">
                      <ReviewActions
                        slug={slug}
                        review={r}
                        decideBlocked={decideBlocked}
                        actor={ctx.actor}
                        environments={environments}
                      />
                    </div>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-600">No reviews waiting.</p>
            )}
            {decided.length ? (
              <details className="mt-3 text-sm">
                <summary className="cursor-pointer text-slate-700">Recent decisions</summary>
                <ul className="mt-2 flex flex-col gap-1">
                  {decided.map((r) => (
                    <li key={r.review.id} className="text-xs text-slate-600">
                      <Badge
                        tone={
                          r.review.status === "approved" ? "green" : r.review.status === "rejected" ? "red" : "gray"
                        }
                      >
                        {r.review.status}
                      </Badge>{" "}
                      v{r.review.version} for {r.environment}
                      {r.review.decidedBy ? ` by ${memberName.get(r.review.decidedBy) ?? "a former member"}` : ""}
                      {r.review.decisionComment ? ` — “${r.review.decisionComment}”` : ""}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
          </Card>
          <EvaluationCards
            slug={slug}
            prompt={name}
            scores={scores}
            hasDatasets={promptDatasets.length > 0}
            onlineRules={onlineRules}
          />
          <Card title="Comments" id="comments" description={shown ? `On v${shown.version}.` : undefined}>
            {shown ? (
              <CommentThread
                slug={slug}
                prompt={name}
                version={shown.version}
                comments={comments.filter((c) => c.version === shown.version)}
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
              drafts={drafts.map((d) => ({
                id: d.draft.id,
                name: d.draft.name,
                owner: d.ownerName ?? "unknown",
                baseVersion: d.draft.baseVersion,
                updatedAt: d.draft.updatedAt.toISOString(),
              }))}
            />
          </Card>
          <Card
            title="What was live at…"
            description="Pick a moment to see which version each environment served."
            id="live-at"
          >
            <LiveAtPicker at={at?.toISOString()} query={query} />
            {at && atRows ? (
              <ul
                className="mt-3 flex flex-col gap-1.5 text-sm"
                aria-label={`Live at ${at.toISOString()}`}
                data-testid="live-at-result"
              >
                {envRows.map((e, i) => (
                  <li key={e.name} className="flex items-center gap-2">
                    <EnvBadge environment={e.name} version={atRows[i]?.version ?? null} />
                    <span className="text-xs text-slate-600">
                      {atRows[i] ? (
                        <>
                          since <Time value={atRows[i]!.createdAt} />
                        </>
                      ) : (
                        "nothing live"
                      )}
                    </span>
                  </li>
                ))}
              </ul>
            ) : null}
          </Card>
        </div>
      </div>
    </div>
  );
}
