import type { ReactNode } from "react";
import { encodePromptName } from "@/lib/registry/name-rules";
import { refPromptName } from "@/lib/registry/templates/partial-refs";
import type { Content } from "@/lib/registry/content";
import { Card } from "@/components/ui/card";
import { statusLabel } from "@/components/release/release-badges";
import { PromptView } from "@/components/prompt/prompt-view";
import { ShownVersionPicker } from "./shown-version-picker";
import type { EnvironmentView, VersionOption } from "./types";

/** What each environment serves, beside the version in view: "production serves v1 · staging serves v2". */
export function servedLine(environments: Pick<EnvironmentView, "name" | "live">[]): string {
  return environments
    .map((e) => (e.live ? `${e.name} serves v${e.live.version}` : `${e.name} serves none`))
    .join(" · ");
}

/**
 * The version in view (the newest unless another is asked for), with a picker for any other version; `footer`
 * goes under it (its downloads).
 */
export function PromptCard({
  slug,
  shown,
  versions,
  environments,
  footer,
}: {
  slug: string;
  shown: VersionOption & { content: Content };
  versions: VersionOption[];
  environments: Pick<EnvironmentView, "name" | "live">[];
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
          {environments.length ? (
            <span className="mt-1 block text-slate-600" data-testid="served-line">
              {servedLine(environments)}.
            </span>
          ) : null}
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
