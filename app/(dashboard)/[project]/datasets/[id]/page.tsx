import { notFound } from "next/navigation";
import { getDb } from "@/lib/server/wiring/db";
import {
  datasetHistorySize as historySize,
  datasetOverview,
  datasetPageSize as pageSize,
} from "@/lib/views/dataset-overview";
import { requireProject } from "@/lib/server/wiring/session";
import { blockedReason } from "@/components/blocked-reasons";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { ActionsTh, Table, Td, Th } from "@/components/ui/table";
import { GateStatusPanel } from "../../settings/_components/gate-status-panel";
import { ChangeNotice } from "./_components/change-notice";
import { DatasetHeader } from "./_components/dataset-header";
import { ItemActions } from "./_components/item-actions";
import { UploadForm } from "./_components/upload-form";
import { VersionHistory } from "./_components/version-history";
import type { ProjectPageProps } from "@/lib/server/wiring/page-props";

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

export async function generateMetadata() {
  return { title: "Dataset" };
}

export default async function DatasetPage({
  params,
  searchParams,
}: ProjectPageProps<{ offset?: string; removed?: string; restored?: string }, { id: string }>) {
  const { project: slug, id } = await params;
  const sp = await searchParams;
  const ctx = await requireProject(slug);
  const db = await getDb();
  const overview = await datasetOverview(db, ctx.project.id, id, sp);
  if (!overview) notFound();
  const { ds, offset, page, versions, gates, impact, notice } = overview;
  const blocked = blockedReason(ctx.actor, "evaluation.run");
  const base = `/${slug}/datasets/${ds.id}`;
  const variables = [...new Set(page.items.flatMap((i) => Object.keys(i.input)))];

  return (
    <div className="flex flex-col gap-6">
      <DatasetHeader slug={slug} ds={ds} base={base} />

      {notice ? (
        <ChangeNotice
          slug={slug}
          dataset={ds.id}
          message={notice.message}
          undoTo={blocked ? undefined : notice.undoTo}
        />
      ) : null}

      <Card
        title="Add items"
        id="upload"
        description={
          blocked ??
          "CSV: one column per variable, an expected column, a tags column split on ';'. JSONL: one {input, expected?, tags?, metadata?} per line. A bad row stops the whole upload."
        }
      >
        {blocked ? null : <UploadForm slug={slug} dataset={ds.id} />}
      </Card>

      <Card title={`Items (${page.total})`} id="items" description={`Dataset version ${page.version}.`}>
        {page.items.length ? (
          <>
            <Table caption="Dataset items" stack>
              <thead>
                <tr>
                  <Th>#</Th>
                  {variables.map((v) => (
                    <Th key={v} className="normal-case">
                      {v}
                    </Th>
                  ))}
                  <Th>Expected</Th>
                  <Th>Tags</Th>
                  <ActionsTh />
                </tr>
              </thead>
              <tbody>
                {page.items.map((item, i) => (
                  <tr key={item.id} data-testid="dataset-item">
                    <Td label="#" className="text-xs text-slate-600">
                      {offset + i + 1}
                    </Td>
                    {variables.map((v) => (
                      <Td key={v} label={v} className="max-w-xs whitespace-pre-wrap break-words">
                        {item.input[v] === undefined ? <span className="text-slate-400">—</span> : show(item.input[v])}
                      </Td>
                    ))}
                    <Td label="Expected" className="max-w-xs whitespace-pre-wrap break-words">
                      {item.expected === undefined ? <span className="text-slate-400">—</span> : show(item.expected)}
                    </Td>
                    <Td label="Tags">
                      <span className="flex flex-wrap gap-1">
                        {item.tags.map((t) => (
                          <Badge key={t}>{t}</Badge>
                        ))}
                      </span>
                    </Td>
                    <Td label="Actions">
                      {blocked ? null : (
                        <ItemActions
                          slug={slug}
                          dataset={ds.id}
                          itemId={item.id}
                          label={`item ${offset + i + 1}`}
                          version={ds.version}
                          gates={impact}
                        />
                      )}
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
            <Pagination
              label="Item pages"
              range={{ from: offset + 1, to: offset + page.items.length, total: page.total }}
              previous={offset > 0 ? `${base}?offset=${Math.max(0, offset - pageSize)}` : null}
              next={offset + pageSize < page.total ? `${base}?offset=${offset + pageSize}` : null}
            />
          </>
        ) : (
          <p className="text-sm text-slate-600">No items yet.</p>
        )}
      </Card>

      <Card
        title="Evaluation gates using this dataset"
        id="gates"
        description="Environments that take a version only after a run on this dataset, and which versions need a new run since its items changed."
      >
        <GateStatusPanel slug={slug} gates={gates} blocked={blocked} dataset={ds.id} />
      </Card>

      <Card
        title="Version history"
        id="versions"
        description={`Every change to the items makes a new version; runs keep the version they ran on. Restoring makes a new version with an earlier version's items.${ds.version > historySize ? ` The newest ${historySize} of ${ds.version} versions.` : ""}`}
      >
        {versions.length ? (
          <VersionHistory
            slug={slug}
            dataset={ds.id}
            current={ds.version}
            versions={versions.map((v) => ({ ...v, at: v.at.toISOString() }))}
            gates={impact}
            blocked={blocked}
          />
        ) : (
          <p className="text-sm text-slate-600">No versions yet: add items to make version 1.</p>
        )}
      </Card>
    </div>
  );
}
