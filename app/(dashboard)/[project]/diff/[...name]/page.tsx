import { encodePromptName } from "@/lib/registry/name-rules";
import { PageHeader } from "@/components/ui/page-header";
import { BreakingChanges } from "@/components/release/breaking-changes";
import { requirePrompt } from "@/lib/server/wiring/session";
import { diffOverview } from "@/lib/views/diff-overview";
import { Card } from "@/components/ui/card";
import { ContentDiffView } from "@/components/diff/content-diff";
import { VersionPicker } from "./_components/version-picker";
import { promptPageTitle, type NamedPageProps } from "@/lib/server/wiring/page-props";
import { promptCrumbs } from "@/components/prompt/crumbs";

export const generateMetadata = promptPageTitle("Compare ");

export default async function DiffPage({ params, searchParams }: NamedPageProps<{ from?: string; to?: string }>) {
  const { project: slug, name: segments } = await params;
  const sp = await searchParams;
  const { db, prompt, name } = await requirePrompt(slug, segments);
  const { from, to, diff, breaking, versions } = await diffOverview(db, prompt, sp);

  return (
    <div className="flex flex-col gap-4">
      <PageHeader breadcrumb={promptCrumbs(slug, name)} title={<>Compare versions of {name}</>} />
      <Card>
        <VersionPicker
          base={`/${slug}/diff/${encodePromptName(name)}`}
          from={from}
          to={to}
          versions={versions.map((v) => ({
            version: v.version,
            label: `v${v.version} — ${v.commitMessage.slice(0, 50) || "no message"}`,
          }))}
        />
      </Card>
      <Card>
        <div className="flex flex-col gap-4">
          {/* Going forward (older → newer) is what applications would experience. */}
          {breaking ? <BreakingChanges changes={breaking} against={`version ${from}`} /> : null}
          <ContentDiffView diff={diff} before={`version ${from}`} after={`version ${to}`} />
        </div>
      </Card>
    </div>
  );
}
