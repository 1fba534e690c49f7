import Link from "next/link";
import { Time } from "@/components/ui/time";
import { Badge } from "@/components/ui/badge";
import { DeployActionBadge, EnvBadge } from "@/components/release/release-badges";
import type { ReleaseLogEntry, RolloutEntry } from "@/lib/release/release-log";

/** A guarded rollout's event in words: what happened to the new version's share. */
export function rolloutText(e: RolloutEntry): string {
  const move = `${e.fromPercent} → ${e.toPercent} %`;
  switch (e.event) {
    case "started":
      return `guarded rollout started at ${e.toPercent} %`;
    case "step":
      return `rollout step ${move}`;
    case "paused":
      return `rollout paused at ${e.toPercent} %`;
    case "resumed":
      return `rollout resumed at ${e.toPercent} %`;
    case "rolled_back":
      return `rollout rolled back (${move})${e.metric ? `: ${e.metric} regressed` : ""}`;
    case "completed":
      return `rollout completed (${move})`;
    case "stopped":
      return `rollout stopped by a release (${move})`;
  }
}

/** The release log, newest first, filterable by environment: deployments and guarded rollouts' events. */
export function DeploymentTimeline({
  items,
  environments,
  current,
  hrefFor,
}: {
  items: ReleaseLogEntry[];
  environments: string[];
  current?: string;
  hrefFor: (env?: string) => string;
}) {
  const chip = (active: boolean) =>
    `rounded-full px-2.5 py-0.5 text-xs ring-1 ring-inset ${active ? "bg-brand-600 text-white ring-brand-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-100"}`;
  return (
    <div className="flex flex-col gap-3">
      <nav aria-label="Filter deployments by environment" className="flex flex-wrap gap-1.5">
        <Link href={hrefFor()} scroll={false} className={chip(!current)} aria-current={!current ? "true" : undefined}>
          All
        </Link>
        {environments.map((e) => (
          <Link
            key={e}
            href={hrefFor(e)}
            scroll={false}
            className={chip(current === e)}
            aria-current={current === e ? "true" : undefined}
          >
            {e}
          </Link>
        ))}
      </nav>
      {items.length === 0 ? (
        <p className="text-sm text-slate-600">
          {current
            ? `Nothing has been deployed to ${current} yet.`
            : "Nothing has been deployed yet. Promote a version to make it live."}
        </p>
      ) : (
        <ol className="flex flex-col divide-y divide-slate-100" aria-label="Deployments">
          {items.map((d) =>
            d.kind === "deployment" ? (
              <li key={`d-${d.id}`} className="flex flex-wrap items-center gap-2 py-2 text-sm">
                <EnvBadge environment={d.environment} version={d.version} />
                <DeployActionBadge action={d.action} />
                <span className="text-slate-700">by {d.actor}</span>
                <span className="text-xs text-slate-500">
                  <Time value={d.at} />
                </span>
                {d.reason ? <span className="basis-full text-xs text-slate-600">“{d.reason}”</span> : null}
              </li>
            ) : (
              <li
                key={`r-${d.rollout}-${d.at}-${d.event}`}
                className="flex flex-wrap items-center gap-2 py-2 text-sm"
                data-rollout={d.rollout}
              >
                <EnvBadge environment={d.environment} version={d.version} />
                <Badge tone={d.event === "rolled_back" || d.event === "stopped" ? "red" : "violet"}>
                  {rolloutText(d)}
                </Badge>
                <span className="text-slate-700">
                  by {d.actor}
                  {d.automatic ? " (automatic)" : ""}
                </span>
                <span className="text-xs text-slate-500">
                  <Time value={d.at} />
                </span>
                {d.reason ? <span className="basis-full text-xs text-slate-600">“{d.reason}”</span> : null}
              </li>
            ),
          )}
        </ol>
      )}
    </div>
  );
}
