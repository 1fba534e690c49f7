import { BlockedNotice } from "@/components/ui/blocked-notice";
import { PageHeader } from "@/components/ui/page-header";
import { listPromptRows } from "@/lib/registry/prompts";
import { getDb } from "@/lib/server/wiring/db";
import { blockedReason } from "@/components/blocked-reasons";
import { NewPromptForm } from "./_components/new-prompt-form";
import { projectPage, type ProjectPageProps } from "@/lib/server/wiring/page-props";

export const metadata = { title: "New prompt" };

export default async function NewPromptPage({ params, searchParams }: ProjectPageProps<{ folder?: string }>) {
  const { slug, ctx } = await projectPage({ params });
  const all = await listPromptRows(await getDb(), ctx.project.id, { limit: 200 });
  const blocked = blockedReason(ctx.actor, "prompt.create");
  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        breadcrumb={[{ href: `/${slug}/prompts`, label: "Prompts" }]}
        title="New prompt"
        description="Write the template, declare its variables, check the preview, then create version 1. Nothing goes live until you promote it."
      >
        <BlockedNotice blocked={blocked} />
      </PageHeader>
      <NewPromptForm
        slug={slug}
        promptNames={all.items.map((p) => p.name)}
        blocked={blocked}
        folder={(await searchParams).folder}
      />
    </div>
  );
}
