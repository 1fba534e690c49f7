import { getDb } from "@/lib/server/wiring/db";
import { rolloutsOverview } from "@/lib/views/rollouts-overview";
import { EmptyState } from "@/components/ui/empty-state";
import { FilterLink, hrefWith } from "@/components/ui/filter-link";
import { PageHeader } from "@/components/ui/page-header";
import { RolloutTable } from "./_components/rollout-table";
import { projectPage, type ProjectPageProps } from "@/lib/server/wiring/page-props";

export const metadata = { title: "Rollouts" };

const filters = [
  ["all", "All"],
  ["running", "Running"],
  ["paused", "Paused"],
  ["completed", "Completed"],
  ["rolled_back", "Rolled back"],
  ["stopped", "Stopped"],
] as const;

export default async function RolloutsPage(props: ProjectPageProps<{ status?: string; environment?: string }>) {
  const { slug, sp, ctx } = await projectPage(props);
  const o = await rolloutsOverview(await getDb(), ctx.project.id, sp);
  const href = (status: string | null, environment: string | null) =>
    hrefWith(`/${slug}/rollouts`, { status: status === "all" ? null : status, environment });

  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        title="Rollouts"
        descriptionClassName="max-w-prose"
        description="Guarded rollouts: a new version reaches an environment step by step (5, 25, 50, then 100 % by default) while its guardrails are watched, and goes back by itself when one gets worse. Start one from a prompt's page; experiments, which compare versions to learn, are under Experiments."
      />
      <nav aria-label="Filter by status" className="flex flex-wrap items-center gap-1 text-sm">
        {filters.map(([s, label]) => (
          <FilterLink key={s} href={href(s, o.environment)} current={(s === "all" && !o.status) || s === o.status}>
            {label}
          </FilterLink>
        ))}
      </nav>
      {o.environments.length > 1 ? (
        <nav aria-label="Filter by environment" className="flex flex-wrap items-center gap-1 text-sm">
          <span className="mr-1 text-slate-600">Environment:</span>
          <FilterLink href={href(o.status, null)} current={!o.environment}>
            All
          </FilterLink>
          {o.environments.map((e) => (
            <FilterLink key={e} href={href(o.status, e)} current={o.environment === e}>
              {e}
            </FilterLink>
          ))}
        </nav>
      ) : null}
      {o.rollouts.length ? (
        <RolloutTable slug={slug} rollouts={o.rollouts} />
      ) : (
        <EmptyState title={o.status || o.environment ? "No rollouts match" : "No rollouts yet"}>
          <p>
            A guarded rollout releases a version gradually instead of all at once: a growing share of users gets it
            while latency, cost, refusals and feedback are compared with the version they had, and it completes — or
            rolls back — by itself. Start one with “Start guarded rollout…” on a prompt’s page.
          </p>
        </EmptyState>
      )}
    </div>
  );
}
