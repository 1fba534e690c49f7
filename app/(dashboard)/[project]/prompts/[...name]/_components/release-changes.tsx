"use client";

import type { RefObject } from "react";
import type { Compatibility } from "@/lib/registry/changes/compat";
import { ContentDiffSkeleton, ContentDiffView } from "@/components/diff/content-diff";
import { sentence } from "@/components/editor/state";
import { BreakingChanges } from "@/components/release/breaking-changes";
import type { ReleaseMode } from "./types";
import type { ReleasePreview } from "./release-preview";

/** What would change for the environment's applications: breaking changes (confirmed here when it is protected). */
export function ReleaseBreaking({
  mode,
  environment,
  current,
  breaking = current?.compat.breaking ?? [],
  needsConfirmation = false,
  confirmed = false,
  onConfirmed = () => {},
  error,
  breakingRef,
}: {
  mode: ReleaseMode;
  environment: string;
  current: ReleasePreview | null;
  /** What breaks (by default the preview's); a promotion asks to confirm it, a review or rollback only shows it. */
  breaking?: Compatibility["breaking"];
  needsConfirmation?: boolean;
  confirmed?: boolean;
  onConfirmed?: (on: boolean) => void;
  error: string | undefined;
  breakingRef: RefObject<HTMLDivElement | null>;
}) {
  return (
    <>
      {breaking.length ? (
        <div ref={breakingRef}>
          <BreakingChanges
            changes={breaking}
            against={
              current?.live ? `version ${current.live}, live in ${environment} now` : `what ${environment} serves now`
            }
            confirm={needsConfirmation ? { environment, checked: confirmed, onChange: onConfirmed, error } : undefined}
          />
        </div>
      ) : null}
      {breaking.length && mode === "review" && current?.rules.protected ? (
        <p className="text-sm text-slate-700">
          The approver will be asked to confirm these changes before {environment} gets them.
        </p>
      ) : null}
      {current && current.live !== null && !breaking.length ? (
        <p className="text-sm text-emerald-800" data-testid="no-breaking-changes">
          No change breaks the applications using {environment}: they can keep sending what they send now.
        </p>
      ) : null}
    </>
  );
}

/** Exactly what would go live: the diff from what the environment serves now. */
export function ReleaseDiff({
  preview,
  previewError,
  environment,
  version,
}: {
  preview: ReleasePreview | null;
  previewError: string | null;
  environment: string;
  version: number | undefined;
}) {
  return (
    <div
      className="border-t border-slate-100 pt-4"
      aria-live="polite"
      aria-busy={!preview && !previewError ? true : undefined}
    >
      {previewError ? (
        <p className="text-sm text-red-800">{sentence(previewError)}</p>
      ) : !preview ? (
        <ContentDiffSkeleton />
      ) : preview.live === version ? (
        <p className="text-sm text-slate-700">
          Version {version} is already live in {environment}.
        </p>
      ) : (
        <>
          <ReleaseAuthors authors={preview.authors} environment={environment} live={preview.live} />
          <ContentDiffView
            diff={preview.diff}
            before={preview.live ? `live in ${environment} (v${preview.live})` : "nothing live"}
            after={`version ${version}`}
          />
        </>
      )}
    </div>
  );
}

/** Who made which change since what the environment serves: every version in between, with its author. */
function ReleaseAuthors({
  authors,
  environment,
  live,
}: {
  authors: ReleasePreview["authors"];
  environment: string;
  live: number | null;
}) {
  if (!authors.length) return null;
  const undone = authors[0]!.undone;
  return (
    <section aria-label="Who changed what" className="mb-3 text-sm" data-testid="release-authors">
      <p className="font-medium text-slate-900">
        {undone
          ? `Going back undoes ${authors.length === 1 ? "this version" : `these ${authors.length} versions`}:`
          : `Since ${live ? `version ${live}, what ${environment} serves` : `nothing (${environment} serves no version)`}:`}
      </p>
      <ul className="mt-1 flex flex-col gap-1">
        {authors.map((a) => (
          <li key={a.version} data-version={a.version}>
            <span className="font-medium">v{a.version}</span> by {a.author}
            {a.message ? ` — “${a.message}”` : ""}
            {a.changes.length ? <span className="text-slate-600">: {a.changes.join("; ")}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
