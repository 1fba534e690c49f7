import { encodePromptName } from "@/lib/registry/name-rules";
import { notFound } from "next/navigation";
import { JudgeAgreementCard } from "@/components/online/judge-agreement";
import { getDb } from "@/lib/server/wiring/db";
import { requireProject } from "@/lib/server/wiring/session";
import { runOverview } from "@/lib/views/run-overview";
import { blockedReason } from "@/components/blocked-reasons";
import { Card } from "@/components/ui/card";
import { RunStatisticsLine } from "@/components/evaluation/run-statistics";
import { LinkButton } from "@/components/ui/link-button";
import { Pagination } from "@/components/ui/pagination";
import { Table } from "@/components/ui/table";
import { TableHead } from "@/components/ui/table-head";
import { Time } from "@/components/ui/time";
import { runSubject } from "@/lib/evaluation/runs/subject";
import { RunProgress } from "./_components/run-progress";
import { progressOf } from "../_format";
import { PREVIEW, RunItemRow } from "./_components/run-item-row";
import { PageHeader } from "@/components/ui/page-header";
import type { ProjectPageProps } from "@/lib/server/wiring/page-props";

export const metadata = { title: "Evaluation run" };

const pageSize = 50;

export default async function RunPage({
  params,
  searchParams,
}: ProjectPageProps<{ offset?: string; failed?: string }, { id: string }>) {
  const { project: slug, id } = await params;
  const sp = await searchParams;
  const ctx = await requireProject(slug);
  const db = await getDb();
  const overview = await runOverview(db, ctx.project.id, id, sp, { pageSize, previewChars: PREVIEW });
  if (!overview) notFound();
  const { run, offset, failed, page, judges } = overview;
  const base = `/${slug}/evaluations/${run.id}`;
  const q = (o: number, f: boolean) =>
    `${base}?${new URLSearchParams({ ...(o ? { offset: String(o) } : {}), ...(f ? { failed: "1" } : {}) })}`;

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        detail
        breadcrumb={[{ href: `/${slug}/evaluations`, label: "Evaluations" }]}
        title={
          <>
            {runSubject(run)} on {run.dataset.name}
          </>
        }
        actions={
          <div className="flex flex-wrap gap-2">
            <LinkButton href={`/${slug}/evaluations/compare?b=${run.id}`}>Compare with…</LinkButton>
            <LinkButton href={`/${slug}/prompts/${encodePromptName(run.prompt)}`}>Prompt</LinkButton>
          </div>
        }
      >
        <p className="mt-1 text-sm text-slate-600">
          Dataset version {run.dataset.version} · {run.repetitions > 1 ? `${run.repetitions} repetitions · ` : ""}
          {run.concurrency} at once ·{" "}
          <span data-testid="run-connection">
            model {run.connectionName ?? `connection ${run.connection ?? "default"}`}
          </span>{" "}
          · started by {run.createdBy} <Time value={run.createdAt.toISOString()} />
          {run.baseline ? (
            <>
              {" "}
              · judged against{" "}
              <a className="underline" href={`/${slug}/evaluations/compare?a=${run.baseline}&b=${run.id}`}>
                baseline run {run.baseline.slice(0, 8)}
              </a>
            </>
          ) : null}
        </p>
      </PageHeader>

      <Card title="Progress" id="progress">
        <RunProgress
          slug={slug}
          id={run.id}
          canCancel={!blockedReason(ctx.actor, "evaluation.run")}
          initial={progressOf(run)}
        />
        {run.status === "completed" ? (
          <div className="mt-3">
            <RunStatisticsLine stats={run.statistics} />
          </div>
        ) : null}
        <details className="mt-3 text-sm">
          <summary className="cursor-pointer text-slate-700">Scorers</summary>
          <pre className="mt-2 overflow-auto rounded-md bg-slate-50 p-2 font-mono text-xs">
            {JSON.stringify(run.scorers, null, 2)}
          </pre>
        </details>
      </Card>

      {judges.length ? (
        <JudgeAgreementCard
          judges={judges}
          description="Does the LLM judge agree with people on this run's outputs? Label them; with 30 labels or more, Cohen's κ says how far to trust the judge (below 0.6, not alone)."
          labelHref={blockedReason(ctx.actor, "annotation.write") ? null : `/${slug}/annotate?run=${run.id}`}
        />
      ) : null}

      <Card
        title={`Results (${page.total})`}
        id="results"
        actions={
          <LinkButton href={q(0, !failed)} size="sm">
            {failed ? "Show all items" : "Only failed items"}
          </LinkButton>
        }
      >
        {page.items.length ? (
          <>
            <Table caption="Results per item" stack>
              <TableHead columns={["Input", "Output", "Expected", "Scores"]} />
              <tbody>
                {page.items.map((it) => (
                  <RunItemRow
                    key={`${it.itemId}-${it.repetition}`}
                    it={it}
                    href={`/${ctx.project.slug}/evaluations/${run.id}/output?item=${it.itemId}&repetition=${it.repetition}`}
                    repetitions={run.repetitions}
                  />
                ))}
              </tbody>
            </Table>
            <Pagination
              label="Result pages"
              range={{ from: offset + 1, to: offset + page.items.length, total: page.total }}
              previous={offset > 0 ? q(Math.max(0, offset - pageSize), failed) : null}
              next={offset + pageSize < page.total ? q(offset + pageSize, failed) : null}
            />
          </>
        ) : (
          <p className="text-sm text-slate-600">
            {run.status === "queued" || run.status === "running"
              ? "Results appear here as items are evaluated; this page refreshes when the run ends."
              : "No results."}
          </p>
        )}
      </Card>
    </div>
  );
}
