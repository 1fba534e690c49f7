"use client";

import type { Content } from "@/lib/registry/content";
import { diffContent } from "@/lib/registry/changes/diff";
import { ContentDiffView } from "@/components/diff/content-diff";

export type Side = { version: number; content: Content };
export type Tab = "edit" | "base" | "latest";

/** The draft's three views: editing it, its changes since its base, and its difference from the latest version. */
export function DraftTabs({
  tab,
  onTab,
  base,
  latest,
}: {
  tab: Tab;
  onTab: (tab: Tab) => void;
  base: number;
  latest: number;
}) {
  const tabs: { id: Tab; label: string }[] = [
    { id: "edit", label: "Edit" },
    { id: "base", label: `Changes since v${base}` },
    { id: "latest", label: `Compare with latest (v${latest})` },
  ];
  return (
    <div role="tablist" aria-label="Draft views" className="mb-4 flex flex-wrap gap-1 border-b border-slate-200">
      {tabs.map((t) => (
        <button
          key={t.id}
          role="tab"
          type="button"
          id={`tab-${t.id}`}
          aria-selected={tab === t.id}
          aria-controls={`panel-${t.id}`}
          onClick={() => onTab(t.id)}
          className={`-mb-px rounded-t-md border-b-2 px-3 py-2 text-sm font-medium ${tab === t.id ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

/** The draft beside its base or the latest version, once it parses. */
export function DraftComparison({
  tab,
  base,
  latest,
  content,
}: {
  tab: "base" | "latest";
  base: Side;
  latest: Side;
  content: Content | null;
}) {
  if (!content) return <p className="text-sm text-slate-600">Fix the problems in the draft to compare it.</p>;
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      {tab === "base" ? (
        <ContentDiffView
          diff={diffContent(base.content, content)}
          before={`v${base.version} (the draft’s base)`}
          after="this draft"
        />
      ) : (
        <ContentDiffView
          diff={diffContent(latest.content, content)}
          before={`v${latest.version} (latest)`}
          after="this draft"
        />
      )}
    </div>
  );
}
