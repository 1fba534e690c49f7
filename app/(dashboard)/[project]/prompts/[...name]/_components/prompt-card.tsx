import type { ReactNode } from "react";
import { encodePromptName } from "@/lib/registry/name-rules";
import { refPromptName } from "@/lib/registry/partial-refs";
import type { Content } from "@/lib/registry/content";
import { Card } from "@/components/ui/card";
import { statusLabel } from "@/components/release/badges";
import { PromptView } from "@/components/prompt/prompt-view";
import { ShownVersionPicker } from "./shown-version-picker";
import type { VersionOption } from "./types";

/** The shown version's content, with a picker for any other version; `footer` goes under it (its downloads). */
export function PromptCard({
  slug,
  shown,
  versions,
  footer,
}: {
  slug: string;
  shown: VersionOption & { content: Content };
  versions: VersionOption[];
  footer?: ReactNode;
}) {
  return (
    <Card
      title="Prompt"
      id="prompt"
      description={
        <>
          Version {shown.version} · {statusLabel(shown.status, shown.liveIn)}
          {shown.commitMessage ? ` · “${shown.commitMessage}”` : ""}. Variables are marked{" "}
          <mark className="rounded bg-blue-50 px-0.5 font-semibold text-blue-800 ring-1 ring-inset ring-blue-200">
            {"{{like_this}}"}
          </mark>
          .
        </>
      }
      actions={
        <ShownVersionPicker
          shown={shown.version}
          versions={versions.map((v) => ({
            version: v.version,
            label: `v${v.version} · ${statusLabel(v.status, v.liveIn)}`,
          }))}
        />
      }
    >
      <PromptView
        content={shown.content}
        partialHref={(n) => `/${slug}/prompts/${encodePromptName(refPromptName(n))}`}
      />
      {footer}
    </Card>
  );
}
