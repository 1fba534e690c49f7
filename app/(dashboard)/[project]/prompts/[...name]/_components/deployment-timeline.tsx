import Link from "next/link";
import { Time } from "@/components/ui/time";
import { DeployActionBadge, EnvBadge } from "@/components/release/badges";

export type DeploymentItem = {
  id: number;
  environment: string;
  version: number;
  action: string;
  by: string;
  reason: string;
  at: string;
};

/** The append-only deployment log, newest first, filterable by environment. */
export function DeploymentTimeline({
  items,
  environments,
  current,
  hrefFor,
}: {
  items: DeploymentItem[];
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
          {items.map((d) => (
            <li key={d.id} className="flex flex-wrap items-center gap-2 py-2 text-sm">
              <EnvBadge environment={d.environment} version={d.version} />
              <DeployActionBadge action={d.action} />
              <span className="text-slate-700">by {d.by}</span>
              <span className="text-xs text-slate-500">
                <Time value={d.at} />
              </span>
              {d.reason ? <span className="basis-full text-xs text-slate-600">“{d.reason}”</span> : null}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
