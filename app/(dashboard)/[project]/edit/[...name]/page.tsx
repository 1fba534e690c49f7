import { encodePromptName } from "@/lib/registry/name-rules";
import { PageHeader } from "@/components/ui/page-header";
import { requirePrompt } from "@/lib/server/wiring/session";
import { editOverview } from "@/lib/views/editor-overview";
import { blockedReason } from "@/components/permissions";
import { VersionEditor } from "./_components/version-editor";
import { EditStartChoices, startSentence } from "./_components/edit-start";
import { promptPageTitle, type NamedPageProps } from "@/lib/server/wiring/page-props";
import { promptCrumbs } from "@/components/prompt/crumbs";

export const generateMetadata = promptPageTitle("Edit ");

export default async function EditPage({ params, searchParams }: NamedPageProps<{ from?: string; env?: string }>) {
  const { project: slug, name: segments } = await params;
  const { ctx, db, prompt, name } = await requirePrompt(slug, segments);
  const o = await editOverview(db, ctx.project.id, prompt, await searchParams);
  const { version, content, partials, promptNames } = o;
  const blocked = blockedReason(ctx.actor, "version.create");

  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        breadcrumb={promptCrumbs(slug, name)}
        title={<>Edit {name}</>}
        description={
          <>
            <span data-testid="edit-start">{startSentence(version.version, o.start, o.latest)}</span> Saving creates a
            new version; nothing goes live until you promote it.
          </>
        }
      >
        <EditStartChoices
          href={(q) => `/${slug}/edit/${encodePromptName(name)}?${q}`}
          environments={o.environments}
          latest={o.latest}
          current={version.version}
        />
        {blocked ? (
          <p className="mt-2 rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">Read only: {blocked}</p>
        ) : null}
      </PageHeader>
      <VersionEditor
        slug={slug}
        name={name}
        initial={content}
        fromVersion={version.version}
        baseVersion={prompt.latestVersion}
        partials={partials}
        promptNames={promptNames}
        blocked={blocked}
      />
    </div>
  );
}
