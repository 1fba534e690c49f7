"use client";

import type { ReactNode } from "react";
import type { CompatChange } from "@/lib/registry/changes/compat";
import { GatedButton } from "@/components/ui/gated-button";
import { BreakingChanges } from "@/components/release/breaking-changes";
import { FormError } from "@/components/forms/form-error";

export type BreakingNotice = {
  /** What the changes are measured against, e.g. "version 3". */
  against: string;
  changes: CompatChange[];
  onFix?: (change: CompatChange, fix: "make-optional" | "add-default") => void;
};

/**
 * The action bar of an editing page (sticks to the top while scrolling): commit message, changes
 * that break applications, what blocks saving, and the save button. Problems are listed only once
 * the form has been touched (or a save was tried): an empty new form is not "wrong" yet.
 */
export function SaveBar({
  commitMessage,
  onCommitMessage,
  onSave,
  saving,
  problems,
  showProblems = true,
  onRevealProblems,
  dirty,
  saveLabel,
  blockedReason,
  error,
  children,
  commitLabel = "Commit message",
  breaking,
  readOnly = false,
}: {
  commitMessage?: string;
  onCommitMessage?: (v: string) => void;
  onSave: () => void;
  saving: boolean;
  problems: string[];
  showProblems?: boolean;
  /** Called when save is pressed while problems are still hidden: the page shows them. */
  onRevealProblems?: () => void;
  dirty: boolean;
  saveLabel: string;
  blockedReason?: string | null;
  error?: string | null;
  children?: ReactNode;
  commitLabel?: string;
  breaking?: BreakingNotice | null;
  /** The role cannot save here: the commit message is read only too, not just the button. */
  readOnly?: boolean;
}) {
  const visible = showProblems ? problems : [];
  return (
    <div className="sticky top-0 z-20 -mx-4 mb-4 border-b border-slate-200 bg-white/95 px-4 py-3 shadow-[0_2px_8px_rgba(15,23,42,0.06)] backdrop-blur">
      <div className="mx-auto flex max-w-7xl flex-col gap-2">
        {breaking && breaking.changes.length ? (
          <BreakingChanges changes={breaking.changes} against={breaking.against} onFix={breaking.onFix} compact />
        ) : null}
        {visible.length ? (
          <details className="text-sm text-red-800" open={visible.length <= 3 || undefined}>
            <summary className="cursor-pointer font-medium">
              {visible.length} problem{visible.length === 1 ? "" : "s"} to fix before saving
            </summary>
            <ul className="mt-1 list-disc pl-5">
              {visible.slice(0, 8).map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </details>
        ) : null}
        <FormError message={error} className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" />
        <div className="flex flex-wrap items-end gap-3">
          {onCommitMessage ? (
            <div className="min-w-[16rem] flex-1">
              <label htmlFor="commit-message" className="text-xs font-medium text-slate-600">
                {commitLabel}
              </label>
              <input
                id="commit-message"
                value={commitMessage}
                onChange={(e) => onCommitMessage(e.target.value)}
                maxLength={1000}
                readOnly={readOnly}
                placeholder="What changed, and why?"
                className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm read-only:bg-slate-50"
              />
            </div>
          ) : null}
          <span className="pb-2 text-xs text-slate-500" aria-live="polite">
            {dirty ? "Unsaved changes" : "No unsaved changes"}
          </span>
          {children}
          <GatedButton
            type="button"
            onClick={() => (problems.length && !showProblems ? onRevealProblems?.() : onSave())}
            disabled={saving || visible.length > 0}
            blockedReason={blockedReason}
          >
            {saving ? "Saving…" : saveLabel}
          </GatedButton>
        </div>
      </div>
    </div>
  );
}
