import { domainContext } from "@/lib/server/wiring/domain";
import { promptFileChoices } from "@/lib/evaluation/prompt-files";
import { encodePromptName } from "@/lib/registry/name-rules";
import { promptOverview } from "@/lib/views/prompt-overview";
import { promptRollouts } from "@/lib/views/prompt-rollouts";
import { requirePrompt } from "@/lib/server/wiring/session";
import { blockedReason } from "@/components/blocked-reasons";
import { Card } from "@/components/ui/card";
import { AlertsBanner } from "./_components/alerts-banner";
import { EnvironmentPanel } from "./_components/environment-panel";
import { ExperimentsCard } from "./_components/experiments-card";
import { PromptCard } from "./_components/prompt-card";
import { PromptHeader } from "./_components/prompt-header";
import { ReleasePlanCard } from "./_components/release-plan-card";
import { RolloutsCard } from "./_components/rollouts-card";
import { VersionDownloads } from "./_components/version-downloads";
import { UsedBy } from "./_components/used-by";
import { HistoryColumn, PlaygroundCard, SideColumn } from "./_components/prompt-page-sections";
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
        <PlaygroundCard slug={slug} name={name} o={o} blocked={blockedReason(ctx.actor, "evaluation.run")} />
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
        <HistoryColumn slug={slug} name={name} actor={ctx.actor} o={o} hrefFor={hrefFor} />
        <SideColumn
          slug={slug}
          name={name}
          actor={ctx.actor}
          userId={ctx.user.id}
          o={o}
          query={query}
          draftFrom={sp.draftFrom}
        />
      </div>
    </div>
  );
}
