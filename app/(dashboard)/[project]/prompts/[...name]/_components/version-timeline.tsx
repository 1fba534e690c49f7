import { encodePromptName } from "@/lib/registry/name-rules";
import Link from "next/link";
import { Time } from "@/components/ui/time";
import { StatusBadge } from "@/components/release/release-badges";
import { Badge } from "@/components/ui/badge";
import { blockedReason } from "@/components/blocked-reasons";
import { VersionActions } from "./version-actions";
import { VersionLabels } from "./version-labels";
import type { EnvironmentView, VersionOption } from "./types";
import type { Actor } from "@/lib/auth/permissions";

export type VersionItem = VersionOption & {
  author: string;
  createdAt: string;
  /** The version it was edited from (its diff is from there); null for version 1. */
  base?: number | null;
  summary: string[];
  breaking: string[];
  /** Deleted through the Langfuse-compatible API: kept in the history, never served. */
  deleted?: boolean;
  /** Version labels pointing at it (aliases any client can fetch by). */
  labels?: string[];
};

/** Every version, newest first: who saved it, when, why, its status and where it is live. */
export function VersionTimeline({
  slug,
  prompt,
  items,
  actor,
  environments,
  versions,
}: {
  slug: string;
  prompt: string;
  items: VersionItem[];
  actor: Actor;
  environments: EnvironmentView[];
  versions: VersionOption[];
}) {
  return (
    <ol className="relative flex flex-col gap-0 border-l-2 border-slate-200 pl-5" aria-label="Version history">
      {items.map((v) => {
        // Edited from an older version than the one before: its changes are shown, and compared, against that one.
        const base = v.base ?? v.version - 1;
        return (
          <li key={v.version} className="relative pb-5 last:pb-0" data-testid={`version-${v.version}`}>
            <span
              aria-hidden
              className={`absolute -left-[1.72rem] top-1 size-3 rounded-full ring-4 ring-white ${v.status === "production" ? "bg-emerald-500" : v.status === "testing" ? "bg-amber-500" : "bg-slate-400"}`}
            />
            <div className="flex flex-wrap items-center gap-2">
              <span className="font-semibold text-slate-900">v{v.version}</span>
              <StatusBadge status={v.status} liveIn={v.liveIn} />
              {v.deleted ? (
                <Badge
                  tone="red"
                  title="Deleted through the Langfuse-compatible API: kept in the history, never served"
                >
                  deleted
                </Badge>
              ) : null}
              {v.deleted && !v.labels?.length ? null : (
                <VersionLabels
                  slug={slug}
                  prompt={prompt}
                  version={v.version}
                  labels={v.labels ?? []}
                  editBlocked={v.deleted ? "Deleted versions take no labels" : blockedReason(actor, "prompt.update")}
                />
              )}
            </div>
            <p className="mt-1 text-sm text-slate-800">
              {v.commitMessage || <span className="text-slate-500">No commit message</span>}
            </p>
            <p className="mt-0.5 text-xs text-slate-600">
              {v.author} · <Time value={v.createdAt} />
            </p>
            {v.summary.length ? (
              <p className="mt-1 text-xs text-slate-600">
                {base === v.version - 1 ? "Changes" : `Edited from v${base}; changes`}:{" "}
                {v.summary.slice(0, 4).join("; ")}
                {v.summary.length > 4 ? "; …" : ""}
              </p>
            ) : null}
            {v.breaking.length ? (
              <p className="mt-1 text-xs font-medium text-red-800" data-testid={`version-${v.version}-breaking`}>
                <span aria-hidden>⚠ </span>Breaks applications: {v.breaking.join(" ")}
              </p>
            ) : null}
            <div className="mt-2 flex flex-wrap items-center gap-3 text-sm">
              {v.version > 1 ? (
                <Link
                  href={`/${slug}/diff/${encodePromptName(prompt)}?from=${base}&to=${v.version}`}
                  className="text-brand-700 hover:underline"
                >
                  Compare with v{base}
                </Link>
              ) : null}
              <VersionActions
                slug={slug}
                prompt={prompt}
                version={v.version}
                actor={actor}
                environments={environments}
                versions={versions}
              />
            </div>
          </li>
        );
      })}
    </ol>
  );
}
