import { encodePromptName } from "@/lib/registry/name-rules";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { LinkButton } from "@/components/ui/link-button";

/** The prompt page's top: the trail back through its folders, its name, description and badges, and where to go next. */
export function PromptHeader({
  slug,
  prompt,
  kind,
  version,
  editBlocked,
}: {
  slug: string;
  prompt: {
    name: string;
    description: string | null;
    latestVersion: number;
    targetModel: string | null;
    tags: string[];
  };
  kind: "chat" | "text" | "skill";
  /** The version in view: "Edit prompt" starts from it. */
  version?: number;
  editBlocked: string | null;
}) {
  const folders = prompt.name.split("/");
  return (
    <PageHeader
      detail
      title={prompt.name}
      titleClassName="break-all"
      breadcrumb={[
        { href: `/${slug}/prompts`, label: "Prompts" },
        ...folders.slice(0, -1).map((f, i) => ({
          href: `/${slug}/prompts?folder=${encodeURIComponent(folders.slice(0, i + 1).join("/"))}`,
          label: f,
        })),
      ]}
      actions={
        <div className="flex flex-wrap gap-2">
          <LinkButton href={`/${slug}/diff/${encodePromptName(prompt.name)}`}>Compare versions</LinkButton>
          {editBlocked ? (
            <span className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-600">{editBlocked}</span>
          ) : (
            <LinkButton
              href={`/${slug}/edit/${encodePromptName(prompt.name)}${version ? `?version=${version}` : ""}`}
              variant="primary"
            >
              Edit prompt
            </LinkButton>
          )}
        </div>
      }
    >
      {prompt.description ? <p className="mt-1 max-w-prose text-sm text-slate-700">{prompt.description}</p> : null}
      <div className="mt-2 flex flex-wrap items-center gap-1.5">
        <Badge tone="blue">{kind}</Badge>
        <Badge>latest v{prompt.latestVersion}</Badge>
        {prompt.targetModel ? <Badge tone="violet">{prompt.targetModel}</Badge> : null}
        {prompt.tags.map((t) => (
          <Badge key={t}>{t}</Badge>
        ))}
      </div>
    </PageHeader>
  );
}
