"use client";

import { describeDiff, lineChanges, settingLabel, variableTraits } from "@/lib/registry/changes/describe";
import type { ContentDiff, PieceDiff } from "@/lib/registry/changes/diff";
import { formatValue, plainValue } from "@/lib/registry/json";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Skeleton } from "@/components/ui/skeleton";
import { DiffPane } from "./diff-pane";

const statusTone: Record<PieceDiff["status"], BadgeTone> = {
  added: "green",
  removed: "red",
  changed: "amber",
  unchanged: "gray",
};
const statusWord = (p: PieceDiff) =>
  p.status === "changed" && p.before !== p.after ? lineChanges(p) : p.status === "changed" ? "role changed" : p.status;

function pieceTitle(p: PieceDiff, i: number) {
  if (p.file !== undefined) return `File ${p.file}`;
  if (!p.roles) return "Template";
  const { before, after } = p.roles;
  const role = before && after && before !== after ? `${before} → ${after}` : (after ?? before);
  return `Message ${i + 1} (${role})`;
}

const show = (v: unknown) => (v === undefined ? "—" : formatValue(v));
const setting = (v: unknown) => (v === undefined ? "—" : plainValue(v));

/** The changes between two contents, in words first and then side by side, per message. */
export function ContentDiffView({
  diff,
  before,
  after,
  showUnchanged = false,
}: {
  diff: ContentDiff;
  before: string;
  after: string;
  showUnchanged?: boolean;
}) {
  const summary = describeDiff(diff);
  const pieces = diff.pieces.map((p, i) => ({ p, i })).filter(({ p }) => showUnchanged || p.status !== "unchanged");
  return (
    <div className="flex flex-col gap-5">
      <section aria-label="Summary of changes">
        <h3 className="text-sm font-semibold text-slate-900">
          What changed from {before} to {after}
        </h3>
        {summary.length ? (
          <ul className="mt-2 list-disc pl-5 text-sm text-slate-800" data-testid="diff-summary">
            {summary.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        ) : (
          <p className="mt-1 text-sm text-slate-600" data-testid="diff-summary">
            Nothing: the two are identical.
          </p>
        )}
      </section>

      {pieces.map(({ p, i }) => (
        <section key={`${p.key}-${i}`} aria-label={pieceTitle(p, i)} className="flex flex-col gap-2">
          <div className="flex items-center gap-2">
            <h3 className="text-sm font-semibold text-slate-900">{pieceTitle(p, i)}</h3>
            <Badge tone={statusTone[p.status]}>{statusWord(p)}</Badge>
          </div>
          <DiffPane
            original={p.before}
            modified={p.after}
            label={pieceTitle(p, i)}
            originalTitle={before}
            modifiedTitle={after}
          />
        </section>
      ))}

      {diff.variables.length ? (
        <section aria-label="Variable changes">
          <h3 className="text-sm font-semibold text-slate-900">Variables</h3>
          <ul className="mt-2 flex flex-col gap-1 text-sm">
            {diff.variables.map((v) => (
              <li key={v.name}>
                <Badge tone={v.change === "added" ? "green" : v.change === "removed" ? "red" : "amber"}>
                  {v.change}
                </Badge>{" "}
                <code className="font-mono">{v.name}</code>
                {v.change === "changed"
                  ? `: ${v.fields?.map((f) => `${f} ${show(v.before?.[f])} → ${show(v.after?.[f])}`).join(", ")}`
                  : v.change === "added" && v.after
                    ? ` (${variableTraits(v.after)})`
                    : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {diff.config.length ? (
        <section aria-label="Model setting changes">
          <h3 className="text-sm font-semibold text-slate-900">Model settings</h3>
          <ul className="mt-2 flex flex-col gap-1 text-sm">
            {diff.config.map((c) => (
              <li key={c.path}>
                {settingLabel(c.path)}: {setting(c.before)} → {setting(c.after)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

/** The shape of a ContentDiffView while it loads: the summary lines and one diff box, so the dialog does not jump. */
export function ContentDiffSkeleton() {
  return (
    <div role="status" aria-label="Loading the changes" className="flex flex-col gap-3">
      <span className="sr-only">Loading the changes…</span>
      <Skeleton className="h-4 w-64" />
      <Skeleton className="h-3 w-80 max-w-full" />
      <Skeleton className="h-3 w-72 max-w-full" />
      <Skeleton className="mt-2 h-4 w-40" />
      <Skeleton className="h-40" />
    </div>
  );
}
