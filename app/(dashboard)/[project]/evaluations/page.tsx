import Link from "next/link";
import { runSubject } from "@/lib/evaluation/runs/subject";
import { getDb } from "@/lib/server/wiring/db";
import { runsOverview } from "@/lib/views/runs-overview";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { LinkButton } from "@/components/ui/link-button";
import { PageHeader } from "@/components/ui/page-header";
import { Table, Td } from "@/components/ui/table";
import { TableHead } from "@/components/ui/table-head";
import { Time } from "@/components/ui/time";
import { erroredNote, pct, scoreInterval, statusLabel, statusTone, usd } from "./_format";
import { projectPage, type ProjectPageProps } from "@/lib/server/wiring/page-props";

export const metadata = { title: "Evaluation runs" };

export default async function RunsPage(props: ProjectPageProps<{ prompt?: string }>) {
  const { slug, sp, ctx } = await projectPage(props);
  const db = await getDb();
  const { runs, unknownPrompt } = await runsOverview(db, ctx.project.id, sp, { limit: 100 });
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title={`Evaluation runs${sp.prompt ? ` of ${sp.prompt}` : ""}`}
        descriptionClassName="max-w-prose"
        description="A version run over a dataset version, scored item by item. Compare two runs on the same dataset version to see what a change broke."
        actions={
          <LinkButton
            href={`/${slug}/evaluations/new${sp.prompt ? `?prompt=${encodeURIComponent(sp.prompt)}` : ""}`}
            variant="primary"
          >
            New run
          </LinkButton>
        }
      />
      {unknownPrompt ? (
        <p role="alert" className="text-sm text-red-800" data-testid="unknown-prompt">
          This project has no prompt named {unknownPrompt}.{" "}
          <Link href={`/${slug}/evaluations`} className="font-medium text-brand-700 hover:underline">
            Show every run
          </Link>
        </p>
      ) : null}
      {runs.length ? (
        <Table caption="Evaluation runs" stack>
          <TableHead columns={["Run", "Dataset", "Status", "Score", "Cost", "Started"]} />
          <tbody>
            {runs.map((r) => (
              <tr key={r.id} data-testid="run-row">
                <Td label="Run">
                  <Link href={`/${slug}/evaluations/${r.id}`} className="font-medium text-brand-700 hover:underline">
                    {runSubject(r)}
                  </Link>
                </Td>
                <Td label="Dataset">
                  {r.dataset.name} <span className="text-xs text-slate-600">v{r.dataset.version}</span>
                </Td>
                <Td label="Status">
                  <Badge tone={statusTone[r.status]}>{statusLabel[r.status]}</Badge>{" "}
                  <span className="text-xs text-slate-600">
                    {r.progress.done}/{r.progress.total}
                  </span>
                </Td>
                <Td label="Score">
                  {pct(r.score)}
                  {r.score !== null && scoreInterval(r.statistics?.ci) ? (
                    <span
                      className="ml-1 text-xs text-slate-600 tabular-nums"
                      title="95% interval of the score (t over items)"
                      data-testid="run-score-ci"
                    >
                      {scoreInterval(r.statistics?.ci)}
                    </span>
                  ) : null}
                  {erroredNote(r.summary) ? (
                    <span className="block text-xs text-red-800" data-testid="run-errored">
                      {erroredNote(r.summary)}
                    </span>
                  ) : null}
                </Td>
                <Td label="Cost">{usd(r.costUsd)}</Td>
                <Td label="Started">
                  <Time value={r.createdAt.toISOString()} />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : unknownPrompt ? null : (
        <EmptyState title="No evaluation runs yet">Create a dataset, then run a prompt version over it.</EmptyState>
      )}
    </div>
  );
}
