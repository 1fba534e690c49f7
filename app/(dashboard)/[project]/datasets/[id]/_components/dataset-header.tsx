// The dataset page's header, rendered on the server like the page.
import Link from "next/link";
import { encodePromptName } from "@/lib/registry/name-rules";
import type { datasetOverview } from "@/lib/views/dataset-overview";
import { Badge } from "@/components/ui/badge";
import { LinkButton } from "@/components/ui/link-button";
import { PageHeader } from "@/components/ui/page-header";

type Dataset = NonNullable<Awaited<ReturnType<typeof datasetOverview>>>["ds"];

/** The dataset's name, its exports and a run on it, its description, version, items and prompt. */
export function DatasetHeader({ slug, ds, base }: { slug: string; ds: Dataset; base: string }) {
  return (
    <PageHeader
      detail
      breadcrumb={[{ href: `/${slug}/datasets`, label: "Datasets" }]}
      title={ds.name}
      actions={
        <div className="flex flex-wrap gap-2">
          <a
            href={`${base}/export?format=csv`}
            className="rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50"
            download
          >
            Export CSV
          </a>
          <a
            href={`${base}/export?format=jsonl`}
            className="rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50"
            download
          >
            Export JSONL
          </a>
          {ds.prompt ? (
            <LinkButton
              href={`/${slug}/evaluations/new?prompt=${encodeURIComponent(ds.prompt)}&dataset=${ds.id}`}
              variant="primary"
            >
              Run an evaluation
            </LinkButton>
          ) : null}
        </div>
      }
    >
      {ds.description ? <p className="mt-1 text-sm text-slate-700">{ds.description}</p> : null}
      <p className="mt-2 flex flex-wrap items-center gap-1.5">
        <Badge>version {ds.version}</Badge>
        <Badge tone="green" title="Items in the current version">
          {ds.items} items
        </Badge>
        {ds.prompt ? (
          <Link href={`/${slug}/prompts/${encodePromptName(ds.prompt)}`}>
            <Badge tone="blue">{ds.prompt}</Badge>
          </Link>
        ) : null}
      </p>
    </PageHeader>
  );
}
