import { encodePromptName } from "@/lib/registry/name-rules";
import { BlockedNotice } from "@/components/ui/blocked-notice";
import { PageHeader } from "@/components/ui/page-header";
import { requirePrompt } from "@/lib/server/wiring/session";
import { editOverview, type EditQuery } from "@/lib/views/editor-overview";
import { blockedReason } from "@/components/blocked-reasons";
import { startSentence } from "@/components/editor/edit-base";
import { VersionEditor } from "./_components/version-editor";
import { EditStartChoices } from "./_components/edit-start";
import { promptPageTitle, type NamedPageProps } from "@/lib/server/wiring/page-props";
import { promptCrumbs } from "@/components/prompt/crumbs";

export const generateMetadata = promptPageTitle("Edit ");

export default async function EditPage({ params, searchParams }: NamedPageProps<EditQuery>) {
  const { project: slug, name: segments } = await params;
  const { ctx, db, prompt, name } = await requirePrompt(slug, segments);
  const o = await editOverview(db, ctx.project.id, prompt, await searchParams);
  const { version, content, partials, promptNames } = o;
  const blocked = blockedReason(ctx.actor, "version.create");

  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        breadcrumb={promptCrumbs(slug, name, version.version)}
        title={<>Edit {name}</>}
        description={
          <>
            <span data-testid="edit-start">{startSentence(version.version, o.start, o.latest)}</span> Saving creates a
            new version; nothing goes live until you promote it.
          </>
        }
      >
        <EditStartChoices
          path={`/${slug}/edit/${encodePromptName(name)}`}
          environments={o.environments}
          versions={o.versions}
          latest={o.latest}
          current={version.version}
        />
        <BlockedNotice blocked={blocked} prefix="Read only: " />
      </PageHeader>
      {/* Keyed on the version it starts from: choosing another base (a link, the picker, ?version=) loads that
          version's whole content into a fresh form, never the previous form under a new heading. */}
      <VersionEditor
        key={version.version}
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
