import { builtInMetrics } from "@/lib/experiments/definition";
import { newExperimentOverview } from "@/lib/views/new-experiment-overview";
import { getDb } from "@/lib/server/wiring/db";
import { blockedReason } from "@/components/blocked-reasons";
import { BlockedNotice } from "@/components/ui/blocked-notice";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { LinkButton } from "@/components/ui/link-button";
import { ExperimentForm } from "./_components/experiment-form";
import { projectPage, type ProjectPageProps } from "@/lib/server/wiring/page-props";

export const metadata = { title: "New experiment" };

export default async function NewExperimentPage(props: ProjectPageProps<{ prompt?: string; environment?: string }>) {
  const { slug, sp, ctx } = await projectPage(props);
  const { prompts, environments, namespaces, initial, environment } = await newExperimentOverview(
    await getDb(),
    ctx.project.id,
    sp,
  );
  const blocked = blockedReason(ctx.actor, "experiment.manage");

  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title="New experiment"
        breadcrumb={[{ href: `/${slug}/experiments`, label: "Experiments" }]}
        descriptionClassName="max-w-prose"
        description="Split the users asking for one prompt in one environment between its live version (the control) and new versions. The experiment is saved as a draft: nothing changes for users until you start it."
      >
        <BlockedNotice blocked={blocked} />
      </PageHeader>
      {!initial ? (
        <EmptyState
          title="No prompt to experiment on"
          action={<LinkButton href={`/${slug}/prompts`}>Go to prompts</LinkButton>}
        >
          An experiment compares versions of a prompt: create a prompt and save a second version first.
        </EmptyState>
      ) : (
        <ExperimentForm
          slug={slug}
          blocked={blocked}
          prompts={prompts.map((p) => ({ name: p.name, versions: p.latestVersion }))}
          environments={environments.map((e) => ({ name: e.name, protected: e.protected }))}
          metrics={Object.entries(builtInMetrics).map(([name, m]) => ({ name, kind: m.kind, goal: m.goal }))}
          initial={{ choices: initial, environment, namespaces }}
        />
      )}
    </div>
  );
}
