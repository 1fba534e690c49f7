// The rollout page's header and definition, rendered on the server like the page.
import Link from "next/link";
import type { rolloutOverview } from "@/lib/views/rollouts-overview";
import { formatCount, metricLabel } from "@/components/experiments/experiment-format";
import { envTone } from "@/components/release/release-badges";
import { RolloutStatusBadge } from "@/components/rollouts/rollout-log";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { Time } from "@/components/ui/time";
import { AutoRefresh } from "../../../experiments/[id]/_components/auto-refresh";

type Overview = NonNullable<Awaited<ReturnType<typeof rolloutOverview>>>;

/** What is rolled out where, its status, its bundle, and when it started and ended. */
export function RolloutHeader({ slug, o, promptHref }: { slug: string; o: Overview; promptHref: string }) {
  const r = o.rollout;
  return (
    <PageHeader
      detail
      breadcrumb={[{ href: `/${slug}/rollouts`, label: "Rollouts" }]}
      title={`Version ${r.version} of ${r.prompt} → ${r.environment}`}
      titleClassName="break-words"
      actions={o.active ? <AutoRefresh everyMs={10_000} /> : null}
    >
      <div className="mt-2 flex flex-wrap items-center gap-1.5 text-sm text-slate-700">
        <RolloutStatusBadge status={r.status} />
        <span>guarded rollout of</span>
        <Link href={`${promptHref}#rollouts`} className="font-medium text-brand-700 hover:underline">
          {r.prompt}
        </Link>
        <span>in</span>
        <Badge tone={envTone(r.environment)}>{r.environment}</Badge>
        {r.bundle ? (
          <span>
            as part of bundle{" "}
            <Link href={`/${slug}/bundles/${r.bundle.name}`} className="text-brand-700 underline">
              {r.bundle.name}
            </Link>{" "}
            (its members move together)
          </span>
        ) : null}
        {r.startedAt ? (
          <span className="text-xs text-slate-600">
            · started <Time value={r.startedAt} />
          </span>
        ) : null}
        {r.endedAt ? (
          <span className="text-xs text-slate-600">
            · ended <Time value={r.endedAt} />
          </span>
        ) : null}
      </div>
    </PageHeader>
  );
}

/** The rollout as defined: its guardrails, minimum sample, margin and steps. */
export function RolloutDefinition({ rollout: r }: { rollout: Overview["rollout"] }) {
  return (
    <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
      <dt className="font-medium text-slate-700">Guardrails</dt>
      <dd className="text-slate-800">
        {r.guardrails
          .map((g) => `${metricLabel(g.name)} (${g.direction === "increase_is_bad" ? "higher" : "lower"} is worse)`)
          .join(", ")}
      </dd>
      <dt className="font-medium text-slate-700">Minimum sample</dt>
      <dd className="text-slate-800">
        {formatCount(r.minSamplePerArm)} subjects on each version, for every guardrail with data, before a step
      </dd>
      <dt className="font-medium text-slate-700">Margin</dt>
      <dd className="text-slate-800">
        {r.margin === null
          ? "none: a step advances on its minimums while no guardrail is significantly worse"
          : `${(r.margin * 100).toFixed(1)} %: a step waits until every interval rules out a larger harm, and an interval wholly beyond it rolls back`}
      </dd>
      <dt className="font-medium text-slate-700">Steps</dt>
      <dd className="text-slate-800">
        {r.steps.map((s) => `${s.percent} %`).join(" → ")}
        {r.steps.length > 1
          ? ` (each at least ${r.steps
              .slice(0, -1)
              .map((s) => `${s.minMinutes} min and ${formatCount(s.minSubjects)} subjects`)
              .join(", then ")})`
          : ""}
      </dd>
    </dl>
  );
}
