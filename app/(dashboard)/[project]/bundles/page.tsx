import Link from "next/link";
import { bundlesOverview } from "@/lib/release/bundles/bundle-reads";
import { listPromptRows } from "@/lib/registry/prompts";
import { getDb } from "@/lib/server/wiring/db";
import { blockedReason } from "@/components/blocked-reasons";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, Td, Th } from "@/components/ui/table";
import { NewBundleForm } from "./_components/new-bundle-form";
import { projectPage, type ProjectPageProps } from "@/lib/server/wiring/page-props";

export const metadata = { title: "Bundles" };

export default async function BundlesPage({ params }: ProjectPageProps) {
  const { slug, ctx } = await projectPage({ params });
  const db = await getDb();
  const [bundles, prompts] = await Promise.all([
    bundlesOverview(db, ctx.project.id),
    listPromptRows(db, ctx.project.id, { limit: 200 }),
  ]);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        breadcrumb={[{ href: `/${slug}/prompts`, label: "Prompts" }]}
        title="Bundles"
        description="Prompts that change together (an agent's system prompt, its tools, their partials), released and rolled back as one: one plan, one transaction, and a resolve that never mixes two releases."
      />
      {bundles.length === 0 ? (
        <EmptyState title="No bundles yet">Create one below from the prompts an agent uses together.</EmptyState>
      ) : (
        <Table caption="Bundles" stack>
          <thead>
            <tr>
              <Th>Bundle</Th>
              <Th>Prompts</Th>
              {bundles[0]!.environments.map((e) => (
                <Th key={e.name}>{e.name}</Th>
              ))}
            </tr>
          </thead>
          <tbody>
            {bundles.map((b) => (
              <tr key={b.name} data-bundle={b.name}>
                <Td>
                  <Link className="font-medium text-brand-700 hover:underline" href={`/${slug}/bundles/${b.name}`}>
                    {b.name}
                  </Link>
                </Td>
                <Td label="Prompts">{b.prompts.join(", ")}</Td>
                {b.environments.map((e) => (
                  <Td key={e.name} label={e.name}>
                    {e.release ? `release ${e.release.id}${e.release.current ? "" : " (changed since)"}` : "—"}
                  </Td>
                ))}
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <NewBundleForm
        slug={slug}
        prompts={prompts.items.map((p) => p.name)}
        blocked={blockedReason(ctx.actor, "prompt.create")}
      />
    </div>
  );
}
