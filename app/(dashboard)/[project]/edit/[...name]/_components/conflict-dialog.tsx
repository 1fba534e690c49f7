"use client";

import type { Content } from "@/lib/registry/content";
import { diffContent } from "@/lib/registry/changes/diff";
import { mergeContent } from "@/lib/registry/changes/merge";
import { ContentDiffView } from "@/components/diff/content-diff";
import { fromContent, type EditorState } from "@/components/editor/state";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import type { Conflict } from "./version-editor";
import { CancelButton } from "@/components/forms/cancel-button";

/**
 * Someone saved a version while this edit was open. Shows what they changed and offers to merge
 * their changes into this edit (three-way, conflicts marked in the editor) or to start over from theirs.
 */
export function ConflictDialog({
  conflict,
  mine,
  onClose,
  onResolved,
}: {
  conflict: Conflict;
  mine: Content | null;
  onClose: () => void;
  onResolved: (s: EditorState, note: string) => void;
}) {
  const theirs = conflict.latest.content;
  const merge = () => {
    if (!mine) return;
    const r = mergeContent(conflict.base.content, mine, theirs, {
      ours: "your edit",
      theirs: `version ${conflict.latestVersion}`,
    });
    if (r.ok)
      onResolved(
        fromContent(r.content),
        `Merged the changes of version ${conflict.latestVersion} into your edit. Check it, then save again.`,
      );
    else
      onResolved(
        fromContent(r.partial),
        `Both you and version ${conflict.latestVersion} changed ${r.conflicts.map((c) => c.key).join(", ")}. Conflicting lines are marked in the editor (<<<<<<< … >>>>>>>); for settings, your value was kept. Resolve them, then save.`,
      );
  };
  return (
    <Dialog
      open
      onClose={onClose}
      size="xl"
      title={`Version ${conflict.latestVersion} was saved while you were editing`}
      description={`Your edit started from version ${conflict.baseVersion}. Saving now would silently undo their changes, so choose how to continue.`}
      footer={
        <>
          <CancelButton onClick={onClose} />
          <Button
            variant="secondary"
            onClick={() =>
              onResolved(fromContent(theirs), `Loaded version ${conflict.latestVersion}; your edit was discarded.`)
            }
          >
            Discard my edit, load v{conflict.latestVersion}
          </Button>
          <Button onClick={merge} disabled={!mine}>
            Merge their changes into my edit
          </Button>
        </>
      }
    >
      <p className="mb-3 text-sm text-slate-700">
        Version {conflict.latestVersion}
        {conflict.latest.commitMessage ? ` (“${conflict.latest.commitMessage}”)` : ""} changed this since version{" "}
        {conflict.baseVersion}:
      </p>
      <ContentDiffView
        diff={diffContent(conflict.base.content, theirs)}
        before={`v${conflict.baseVersion}`}
        after={`v${conflict.latestVersion}`}
      />
    </Dialog>
  );
}
