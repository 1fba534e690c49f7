"use client";

import { useState } from "react";
import type { Content } from "@/lib/registry/content";
import type { MergeConflict } from "@/lib/registry/changes/merge";
import { DiffPane } from "@/components/diff/diff-pane";
import {
  applyResolutions,
  conflictTitle,
  hasConflictMarkers,
  initialResolutions,
  isTextConflict,
  type Resolution,
} from "@/components/editor/resolve-conflicts";
import { Button } from "@/components/ui/button";

export type DraftConflict = {
  conflicts: MergeConflict[];
  partial: Content;
  baseVersion: number;
  latestVersion: number;
  latest: Content;
  message: string;
};

function TextConflict({
  conflict,
  latestVersion,
  value,
  onChange,
}: {
  conflict: MergeConflict;
  latestVersion: number;
  value: string;
  onChange: (text: string) => void;
}) {
  // Remount the editor when a shortcut replaces the text, so it shows the new starting point.
  const [round, setRound] = useState(0);
  const use = (text: string) => {
    onChange(text);
    setRound((r) => r + 1);
  };
  return (
    <div className="flex flex-col gap-2">
      <p className="text-sm text-slate-700">
        Left: version {latestVersion}. Right: your resolution, editable. Keep what you want and remove the {"<<<<<<<"} /{" "}
        {"======="} / {">>>>>>>"} marker lines.
      </p>
      <div className="flex flex-wrap gap-2">
        <Button size="sm" variant="secondary" onClick={() => use(conflict.ours)}>
          Use the draft’s text
        </Button>
        <Button size="sm" variant="secondary" onClick={() => use(conflict.theirs)}>
          Use version {latestVersion}’s text
        </Button>
        <Button size="sm" variant="ghost" onClick={() => use(conflict.marked ?? conflict.ours)}>
          Start over with both, marked
        </Button>
      </div>
      <DiffPane
        key={round}
        original={conflict.theirs}
        modified={value}
        label={`${conflictTitle(conflict.key)} resolution`}
        originalTitle={`version ${latestVersion}`}
        modifiedTitle="your resolution"
        onModifiedChange={onChange}
      />
      {hasConflictMarkers(value) ? (
        <p className="text-xs font-medium text-red-700">Conflict markers remain in this text.</p>
      ) : (
        <p className="text-xs text-emerald-700">Resolved.</p>
      )}
    </div>
  );
}

function ValueConflict({
  conflict,
  latestVersion,
  side,
  onChange,
}: {
  conflict: MergeConflict;
  latestVersion: number;
  side: "draft" | "latest";
  onChange: (side: "draft" | "latest") => void;
}) {
  const name = `conflict-${conflict.key}`;
  const option = (value: "draft" | "latest", label: string, text: string) => (
    <label
      className={`flex cursor-pointer flex-col gap-1 rounded-md border p-3 ${side === value ? "border-brand-600 bg-brand-50" : "border-slate-200"}`}
    >
      <span className="flex items-center gap-2 text-sm font-medium">
        <input type="radio" name={name} checked={side === value} onChange={() => onChange(value)} className="size-4" />
        {label}
      </span>
      <pre className="max-h-48 overflow-auto whitespace-pre-wrap font-mono text-xs text-slate-800">
        {text || "(absent)"}
      </pre>
    </label>
  );
  return (
    <fieldset className="grid grid-cols-1 gap-2 md:grid-cols-2">
      <legend className="sr-only">Choose a value for {conflictTitle(conflict.key)}</legend>
      {option("draft", "Keep the draft’s", conflict.ours)}
      {option("latest", `Take version ${latestVersion}’s`, conflict.theirs)}
    </fieldset>
  );
}

/** Every conflict of a three-way merge, each resolved in a diff editor or by picking a side. */
export function ConflictResolver({
  conflict,
  onResolve,
  onCancel,
  busy,
}: {
  conflict: DraftConflict;
  onResolve: (content: Content) => void;
  onCancel: () => void;
  busy: boolean;
}) {
  const [choice, setChoice] = useState<Record<string, Resolution>>(() => initialResolutions(conflict.conflicts));
  const unresolved = Object.values(choice).filter((r) => r.kind === "text" && hasConflictMarkers(r.text)).length;
  return (
    <section
      aria-labelledby="conflicts-title"
      className="flex flex-col gap-4 rounded-lg border border-amber-300 bg-white p-4 shadow-sm"
    >
      <div>
        <h2 id="conflicts-title" className="text-lg font-semibold text-slate-900">
          Resolve {conflict.conflicts.length} conflict{conflict.conflicts.length === 1 ? "" : "s"}
        </h2>
        <p className="mt-1 text-sm text-slate-700">
          This draft started from version {conflict.baseVersion}; version {conflict.latestVersion} has been saved since,
          and both changed the same things. Everything else merged by itself.
        </p>
      </div>
      <ol className="flex flex-col gap-5">
        {conflict.conflicts.map((c) => {
          const r = choice[c.key];
          return (
            <li key={c.key} className="flex flex-col gap-2 border-t border-slate-100 pt-4" data-testid="merge-conflict">
              <h3 className="font-semibold text-slate-900">{conflictTitle(c.key)}</h3>
              {isTextConflict(c) && r?.kind === "text" ? (
                <TextConflict
                  conflict={c}
                  latestVersion={conflict.latestVersion}
                  value={r.text}
                  onChange={(text) => setChoice((all) => ({ ...all, [c.key]: { kind: "text", text } }))}
                />
              ) : (
                <ValueConflict
                  conflict={c}
                  latestVersion={conflict.latestVersion}
                  side={r?.kind === "side" ? r.side : "draft"}
                  onChange={(side) => setChoice((all) => ({ ...all, [c.key]: { kind: "side", side } }))}
                />
              )}
            </li>
          );
        })}
      </ol>
      <div className="flex flex-wrap items-center justify-end gap-2 border-t border-slate-100 pt-4">
        {unresolved ? (
          <p className="mr-auto text-sm text-red-700">
            {unresolved === 1 ? "1 text still contains" : `${unresolved} texts still contain`} conflict markers.
          </p>
        ) : null}
        <Button variant="secondary" onClick={onCancel}>
          Back to the draft
        </Button>
        <Button
          disabled={busy || unresolved > 0}
          onClick={() => onResolve(applyResolutions(conflict.partial, conflict.latest, conflict.conflicts, choice))}
        >
          {busy ? "Merging…" : "Merge with these resolutions"}
        </Button>
      </div>
    </section>
  );
}
