import { runSubject } from "@/lib/evaluation/runs/subject";
import { compareOverview } from "@/lib/views/compare-overview";
import { getDb } from "@/lib/server/wiring/db";
import { TextDiff } from "@/components/diff/text-diff";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { Table, Td } from "@/components/ui/table";
import { TableHead } from "@/components/ui/table-head";
import { pct } from "../_format";
import { ComparePicker } from "./_components/compare-picker";
import { PairedTable } from "@/components/evaluation/paired-table";
import { PairwiseTallyTable } from "@/components/evaluation/pairwise-tally";
import { RunStatisticsLine } from "@/components/evaluation/run-statistics";
import { VariablesTable } from "@/components/ui/variables-table";
import { PageHeader } from "@/components/ui/page-header";
import { AlertLine } from "@/components/ui/alert-line";
import { projectPage, type ProjectPageProps } from "@/lib/server/wiring/page-props";

export const metadata = { title: "Compare evaluation runs" };

const show = (v: unknown) => (v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v));
const signed = (x: number | null) => (x === null ? "—" : `${x > 0 ? "+" : ""}${(x * 100).toFixed(1)} pts`);

// Long outputs are compared by their start (a diff of two 20 MB outputs would be the page); each run's
// page links to the whole output.
const clip = (text: string) => (text.length > 2000 ? `${text.slice(0, 2000)}… (${text.length} characters)` : text);

export default async function ComparePage(props: ProjectPageProps<{ a?: string; b?: string; regressions?: string }>) {
  const { slug, sp, ctx } = await projectPage(props);
  const db = await getDb();
  const { runs, regressionsOnly, result, problem } = await compareOverview(db, ctx.project.id, sp, { limit: 500 });
  const label = (r: (typeof runs)[number]) => `${runSubject(r)} · ${pct(r.score)} · ${r.id.slice(0, 8)}`;
  const href = (regressions: boolean) =>
    `/${slug}/evaluations/compare?${new URLSearchParams({ a: sp.a ?? "", b: sp.b ?? "", ...(regressions ? { regressions: "1" } : {}) })}`;

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        breadcrumb={[{ href: `/${slug}/evaluations`, label: "Evaluations" }]}
        title="Compare two runs"
        descriptionClassName="max-w-prose"
        description="Two runs on the same dataset version, item by item: the outputs' differences and how each score moved from A to B."
      />
      <Card title="Runs" id="pick">
        {runs.length ? (
          <ComparePicker
            a={sp.a ?? ""}
            b={sp.b ?? ""}
            runs={runs.map((r) => ({
              id: r.id,
              label: label(r),
              dataset: r.dataset.id,
              datasetName: r.dataset.name,
              datasetVersion: r.dataset.version,
            }))}
          />
        ) : (
          <p className="text-sm text-slate-600">
            No completed runs yet. Start a run, then another of a different version on the same dataset, and compare
            them here.
          </p>
        )}
        <AlertLine message={problem} className="mt-3" />
      </Card>
      {result ? (
        <Card
          title="Paired comparison"
          id="paired"
          description="Item by item on the same items: each item's repetitions averaged, paired t test with Holm's adjustment across scorers (decides), Wilcoxon signed-rank beside it."
        >
          <p className="mb-3 text-base font-medium text-slate-900" data-testid="paired-verdict">
            {result.verdict}
          </p>
          <PairedTable scorers={result.scorers} overall={result.paired.overall} />
          {result.pairwise.length ? (
            <div className="mt-3">
              <PairwiseTallyTable judges={result.pairwise} />
            </div>
          ) : null}
          <div className="mt-3 flex flex-col gap-1">
            <RunStatisticsLine stats={result.a.statistics} label={`A (v${result.a.version})`} />
            <RunStatisticsLine stats={result.b.statistics} label={`B (v${result.b.version})`} />
          </div>
        </Card>
      ) : null}
      {result ? (
        <Card
          title={`${result.a.prompt} v${result.a.version} → v${result.b.version}`}
          id="comparison"
          description={`Score ${pct(result.a.score)} → ${pct(result.b.score)} (${signed(result.delta)}) · ${result.regressions} regressions · ${result.improvements} improvements`}
          actions={
            <LinkButton href={href(!regressionsOnly)} size="sm">
              {regressionsOnly ? "Show all items" : "Regressions only"}
            </LinkButton>
          }
        >
          {result.items.length ? (
            <Table caption="Items compared" stack>
              <TableHead columns={["Input", "Output A → B", "Expected", "Score A", "Score B", "Change"]} />
              <tbody>
                {result.items.map((it) => (
                  <tr key={it.itemId} data-testid="compare-item" className={it.regression ? "bg-red-50" : undefined}>
                    <Td label="Input" className="max-w-xs">
                      <VariablesTable value={it.input} caption="Input variables" />
                    </Td>
                    <Td label="Output A → B" className="max-w-md text-sm">
                      <TextDiff
                        before={clip(it.a?.output ?? it.a?.error ?? "")}
                        after={clip(it.b?.output ?? it.b?.error ?? "")}
                      />
                    </Td>
                    <Td label="Expected" className="max-w-xs whitespace-pre-wrap break-words">
                      {show(it.expected)}
                    </Td>
                    <Td label="Score A">{it.a?.score == null ? "—" : it.a.score.toFixed(2)}</Td>
                    <Td label="Score B">{it.b?.score == null ? "—" : it.b.score.toFixed(2)}</Td>
                    <Td label="Change">
                      {it.regression ? (
                        <Badge tone="red">regression</Badge>
                      ) : it.improvement ? (
                        <Badge tone="green">better</Badge>
                      ) : (
                        <Badge>same</Badge>
                      )}
                      <span className="mt-1 block text-xs text-slate-600">{signed(it.delta)}</span>
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : (
            <p className="text-sm text-slate-600">
              {regressionsOnly ? "No regressions: no item scored lower or stopped passing." : "No items."}
            </p>
          )}
        </Card>
      ) : null}
    </div>
  );
}
