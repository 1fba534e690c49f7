import Link from "next/link";
import { experimentSummaries } from "@/lib/experiments/analysis/experiment-summaries";
import { getDb } from "@/lib/server/wiring/db";
import { blockedReason } from "@/components/blocked-reasons";
import { storedCallNote } from "@/components/experiments/call-as-of";
import { EmptyState } from "@/components/ui/empty-state";
import { hrefWith } from "@/components/ui/filter-link";
import { LinkButton } from "@/components/ui/link-button";
import { PageHeader } from "@/components/ui/page-header";
import { ExperimentTable } from "./_components/experiment-table";
import { projectPage, type ProjectPageProps } from "@/lib/server/wiring/page-props";

export const metadata = { title: "Experiments" };

const statuses = ["running", "draft", "stopped"] as const;
type Status = (typeof statuses)[number];
const filterLabels: Record<Status | "all", string> = {
  all: "All",
  running: "Running",
  draft: "Drafts",
  stopped: "Stopped",
};

export default async function ExperimentsPage(props: ProjectPageProps<{ status?: string; prompt?: string }>) {
  const { slug, sp, ctx } = await projectPage(props);
  const db = await getDb();
  const status = statuses.find((s) => s === sp.status);
  const items = await experimentSummaries(db, ctx.project.id, { status, prompt: sp.prompt || undefined });
  const manageBlocked = blockedReason(ctx.actor, "experiment.manage");
  const newHref = `/${slug}/experiments/new${sp.prompt ? `?prompt=${encodeURIComponent(sp.prompt)}` : ""}`;
  const filterHref = (s: Status | "all") =>
    hrefWith(`/${slug}/experiments`, { status: s === "all" ? null : s, prompt: sp.prompt });

  return (
    <div className="flex flex-col gap-5">
      <PageHeader
        title="Experiments"
        descriptionClassName="max-w-prose"
        description="A/B tests and bandits between versions of a prompt. Applications change nothing: while an experiment runs, each user asking for the prompt gets the version of their variant."
        actions={
          manageBlocked ? (
            <span className="max-w-sm rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-600">{manageBlocked}</span>
          ) : (
            <LinkButton href={newHref} variant="primary">
              New experiment
            </LinkButton>
          )
        }
      />
      <nav aria-label="Filter by status" className="flex flex-wrap items-center gap-1 text-sm">
        {(["all", ...statuses] as const).map((s) => {
          const current = (s === "all" && !status) || s === status;
          return (
            <Link
              key={s}
              href={filterHref(s)}
              aria-current={current ? "page" : undefined}
              className={`rounded-md px-3 py-1.5 font-medium ${current ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100"}`}
            >
              {filterLabels[s]}
            </Link>
          );
        })}
        {sp.prompt ? (
          <span className="ml-2 text-slate-600">
            on <span className="font-medium text-slate-800">{sp.prompt}</span> ·{" "}
            <Link
              href={`/${slug}/experiments${status ? `?status=${status}` : ""}`}
              className="text-brand-700 underline"
            >
              all prompts
            </Link>
          </span>
        ) : null}
      </nav>
      {items.length ? (
        <>
          <ExperimentTable slug={slug} items={items} />
          {items.some((e) => e.status === "running") ? (
            <p className="max-w-prose text-xs text-slate-600">{storedCallNote}</p>
          ) : null}
        </>
      ) : (
        <EmptyState
          title={status || sp.prompt ? "No experiments match" : "No experiments yet"}
          action={
            manageBlocked || status || sp.prompt ? null : (
              <LinkButton href={newHref} variant="primary">
                Define your first experiment
              </LinkButton>
            )
          }
        >
          <p>
            An experiment splits the users asking for a prompt between its live version (the control) and one or more
            new versions, measures what your application reports (thumbs up, task completed, latency, cost), and tells
            you in plain words which version is better and when you can trust it.
          </p>
          {manageBlocked && !status && !sp.prompt ? <p className="mt-2">{manageBlocked}</p> : null}
        </EmptyState>
      )}
    </div>
  );
}
