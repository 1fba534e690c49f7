import Link from "next/link";
import { datasetsOverview } from "@/lib/views/datasets-overview";
import { getDb } from "@/lib/server/wiring/db";
import { blockedReason } from "@/components/blocked-reasons";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, Td } from "@/components/ui/table";
import { TableHead } from "@/components/ui/table-head";
import { Time } from "@/components/ui/time";
import { NewDatasetForm } from "./_components/new-dataset-form";
import { projectPage, type ProjectPageProps } from "@/lib/server/wiring/page-props";

export const metadata = { title: "Evaluation datasets" };

export default async function DatasetsPage({ params }: ProjectPageProps) {
  const { slug, ctx } = await projectPage({ params });
  const db = await getDb();
  const { datasets, promptNames } = await datasetsOverview(db, ctx.project.id);
  const blocked = blockedReason(ctx.actor, "evaluation.run");
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Evaluation datasets"
        descriptionClassName="max-w-prose"
        description="Inputs and expected answers a prompt version is run over before it ships. Every change to a dataset makes a new dataset version, so a run can always be reproduced and two runs compare the same items."
      />
      {datasets.length ? (
        <Table caption="Datasets" stack>
          <TableHead columns={["Name", "Prompt", "Items", "Version", "Changed"]} />
          <tbody>
            {datasets.map((d) => (
              <tr key={d.id} data-testid="dataset-row">
                <Td label="Name">
                  <Link href={`/${slug}/datasets/${d.id}`} className="font-medium text-brand-700 hover:underline">
                    {d.name}
                  </Link>
                  {d.description ? <p className="text-xs text-slate-600">{d.description}</p> : null}
                </Td>
                <Td label="Prompt">
                  {d.prompt ? <Badge tone="blue">{d.prompt}</Badge> : <span className="text-slate-600">any</span>}
                </Td>
                <Td label="Items">{d.items}</Td>
                <Td label="Version">v{d.version}</Td>
                <Td label="Changed">
                  <Time value={d.updatedAt.toISOString()} />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <EmptyState title="No datasets yet">
          Create one below, then upload a CSV or JSONL file of cases, or save cases from a prompt&apos;s playground.
        </EmptyState>
      )}
      <Card
        title="New dataset"
        id="new-dataset"
        description={blocked ?? "Tie it to a prompt to check uploaded rows against that prompt's variables."}
      >
        {blocked ? null : <NewDatasetForm slug={slug} prompts={promptNames} />}
      </Card>
    </div>
  );
}
