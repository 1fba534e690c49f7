import { decodePromptPath, encodePromptName } from "@/lib/registry/name-rules";
import { PageHeader } from "@/components/ui/page-header";
import { classifyDiff } from "@/lib/registry/compat";
import { diffVersions, listVersions } from "@/lib/registry/versions";
import { BreakingChanges } from "@/components/release/breaking-changes";
import { requirePrompt } from "@/lib/server/session";
import { Card } from "@/components/ui/card";
import { ContentDiffView } from "@/components/diff/content-diff";
import { VersionPicker } from "./_components/version-picker";

type Params = { project: string; name: string[] };

export async function generateMetadata({ params }: { params: Promise<Params> }) {
  return { title: `Compare ${decodePromptPath((await params).name) ?? "Prompt"}` };
}

export default async function DiffPage({
  params,
  searchParams,
}: {
  params: Promise<Params>;
  searchParams: Promise<{ from?: string; to?: string }>;
}) {
  const { project: slug, name: segments } = await params;
  const sp = await searchParams;
  const { db, prompt, name } = await requirePrompt(slug, segments);
  const latest = prompt.latestVersion;
  const clamp = (n: number, fallback: number) => (Number.isInteger(n) && n >= 1 && n <= latest ? n : fallback);
  const to = clamp(Number(sp.to), latest);
  const from = clamp(Number(sp.from), Math.max(1, to - 1));
  const [versions, diff] = await Promise.all([listVersions(db, prompt), diffVersions(db, prompt, from, to)]);

  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        breadcrumb={[
          { href: `/${slug}/prompts`, label: "Prompts" },
          { href: `/${slug}/prompts/${encodePromptName(name)}`, label: name },
        ]}
        title={<>Compare versions of {name}</>}
      />
      <Card>
        <VersionPicker
          base={`/${slug}/diff/${encodePromptName(name)}`}
          from={from}
          to={to}
          versions={versions.map(({ version: v }) => ({
            version: v.version,
            label: `v${v.version} — ${v.commitMessage.slice(0, 50) || "no message"}`,
          }))}
        />
      </Card>
      <Card>
        <div className="flex flex-col gap-4">
          {/* Going forward (older → newer) is what applications would experience. */}
          {from < to ? <BreakingChanges changes={classifyDiff(diff).breaking} against={`version ${from}`} /> : null}
          <ContentDiffView diff={diff} before={`version ${from}`} after={`version ${to}`} />
        </div>
      </Card>
    </div>
  );
}
