"use client";

import type { ReactNode } from "react";
import { GatedButton } from "@/components/ui/gated-button";

/** The action bar of an editing page (sticks to the top while scrolling): commit message, what blocks saving, and the save button. */
export function SaveBar({
  commitMessage,
  onCommitMessage,
  onSave,
  saving,
  problems,
  dirty,
  saveLabel,
  blockedReason,
  error,
  children,
  commitLabel = "Commit message",
}: {
  commitMessage?: string;
  onCommitMessage?: (v: string) => void;
  onSave: () => void;
  saving: boolean;
  problems: string[];
  dirty: boolean;
  saveLabel: string;
  blockedReason?: string | null;
  error?: string | null;
  children?: ReactNode;
  commitLabel?: string;
}) {
  return (
    <div className="sticky top-0 z-20 -mx-4 mb-4 border-b border-slate-200 bg-white/95 px-4 py-3 shadow-[0_2px_8px_rgba(15,23,42,0.06)] backdrop-blur">
      <div className="mx-auto flex max-w-7xl flex-col gap-2">
        {problems.length ? (
          <details className="text-sm text-red-800">
            <summary className="cursor-pointer font-medium">
              {problems.length} problem{problems.length === 1 ? "" : "s"} must be fixed before saving
            </summary>
            <ul className="mt-1 list-disc pl-5">
              {problems.slice(0, 8).map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </details>
        ) : null}
        {error ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            {error}
          </p>
        ) : null}
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
                placeholder="What changed, and why?"
                className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
              />
            </div>
          ) : null}
          <span className="pb-2 text-xs text-slate-500" aria-live="polite">
            {dirty ? "Unsaved changes" : "No unsaved changes"}
          </span>
          {children}
          <GatedButton type="button" onClick={onSave} disabled={saving || problems.length > 0} blockedReason={blockedReason}>
            {saving ? "Saving…" : saveLabel}
          </GatedButton>
        </div>
      </div>
    </div>
  );
}
