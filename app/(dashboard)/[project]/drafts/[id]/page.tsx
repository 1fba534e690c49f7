import { BlockedNotice } from "@/components/ui/blocked-notice";
import { PageHeader } from "@/components/ui/page-header";
import { notFound } from "next/navigation";
import { getDb } from "@/lib/server/wiring/db";
import { requireProject } from "@/lib/server/wiring/session";
import { draftOverview } from "@/lib/views/editor-overview";
import { blockedReason } from "@/components/blocked-reasons";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import { DraftEditor } from "./_components/draft-editor";
import type { ProjectPageProps } from "@/lib/server/wiring/page-props";
import { promptCrumbs } from "@/components/prompt/crumbs";

export const metadata = { title: "Draft copy" };

export default async function DraftPage({ params }: ProjectPageProps<object, { id: string }>) {
  const { project: slug, id } = await params;
  const ctx = await requireProject(slug);
  const db = await getDb();
  const found = await draftOverview(db, ctx.project.id, id);
  if (!found) notFound();
  const { draft, prompt, ownerName, diffs, content, partials, promptNames } = found;
  const isOwner = draft.ownerId === ctx.user.id || ctx.role === "admin";
  const blocked =
    blockedReason(ctx.actor, "draft.write") ??
    (draft.closedAt
      ? draft.mergedVersion
        ? `This draft was merged as version ${draft.mergedVersion}.`
        : "This draft was discarded."
      : !isOwner
        ? `Only ${ownerName ?? "its owner"} (or an admin) can change this draft.`
        : null);

  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        breadcrumb={promptCrumbs(slug, prompt.name)}
        titleClassName="flex flex-wrap items-center gap-2"
        title={
          <>
            Draft “{draft.name}”{" "}
            <Badge tone={draft.closedAt ? "gray" : "violet"}>
              {draft.closedAt
                ? draft.mergedVersion
                  ? `merged as v${draft.mergedVersion}`
                  : "discarded"
                : "draft copy"}
            </Badge>
          </>
        }
        description={
          <>
            Copied from version {draft.baseVersion} by {ownerName ?? "unknown"} · last saved{" "}
            <Time value={draft.updatedAt} />. The latest version is {prompt.latestVersion}
            {prompt.latestVersion !== draft.baseVersion ? ": merging will combine both sets of changes." : "."}
          </>
        }
      >
        <BlockedNotice blocked={blocked} prefix="Read only: " />
      </PageHeader>
      {/* Keyed on the draft: opening another draft loads its own content into a fresh form. */}
      <DraftEditor
        key={draft.id}
        slug={slug}
        draftId={draft.id}
        prompt={prompt.name}
        content={content}
        base={diffs.base}
        latest={diffs.latest}
        partials={partials}
        promptNames={promptNames}
        blocked={blocked}
      />
    </div>
  );
}
