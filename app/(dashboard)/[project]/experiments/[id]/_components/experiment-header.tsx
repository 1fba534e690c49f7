// The experiment page's header and notices, rendered on the server like the page.
import Link from "next/link";
import { encodePromptName } from "@/lib/registry/name-rules";
import type { experimentOverview } from "@/lib/views/experiment-overview";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { envTone } from "@/components/release/release-badges";
import { ExperimentStatusBadge, ModeBadge } from "@/components/experiments/experiment-badges";
import { AutoRefresh } from "./auto-refresh";
import { ExperimentControls } from "./experiment-controls";

type Overview = NonNullable<Awaited<ReturnType<typeof experimentOverview>>>;

/** The experiment's name, its controls, its status, mode, prompt, environment and phase, and its hypothesis. */
export function ExperimentHeader({
  slug,
  overview,
  blocked,
}: {
  slug: string;
  overview: Overview;
  blocked: string | null;
}) {
  const { experiment: dto, results, environment: env } = overview;
  return (
    <PageHeader
      detail
      breadcrumb={[{ href: `/${slug}/experiments`, label: "Experiments" }]}
      title={dto.name}
      actions={
        <div className="flex flex-col items-end gap-2">
          <ExperimentControls
            slug={slug}
            experiment={{
              id: dto.id,
              name: dto.name,
              status: dto.status,
              mode: dto.mode,
              environment: dto.environment,
              prompt: dto.prompt,
              variants: dto.variants,
            }}
            environment={{
              protected: env.protected,
              requiresReview: env.requiresReview,
              requiresLiveIn: env.requiresLiveIn,
            }}
            winner={results.winner}
            verdict={results.verdict}
            blocked={blocked}
          />
          {dto.status === "running" ? <AutoRefresh everyMs={overview.refreshEveryMs} /> : null}
        </div>
      }
    >
      <div className="mt-2 flex flex-wrap items-center gap-1.5 text-sm text-slate-700">
        <ExperimentStatusBadge status={dto.status} />
        <ModeBadge mode={dto.mode} />
        <span>
          on{" "}
          <Link
            href={`/${slug}/prompts/${encodePromptName(dto.prompt)}`}
            className="font-medium text-brand-700 hover:underline"
          >
            {dto.prompt}
          </Link>{" "}
          in
        </span>
        <Badge tone={envTone(dto.environment)}>{dto.environment}</Badge>
        {dto.phase > 1 ? (
          <Link href="#phases">
            <Badge title="A change of weights, or a release of a partial its arms include, begins a new phase">
              phase {dto.phase}
            </Badge>
          </Link>
        ) : null}
      </div>
      {dto.hypothesis ? <p className="mt-2 max-w-prose text-sm text-slate-700">{dto.hypothesis}</p> : null}
    </PageHeader>
  );
}

/** What the numbers below are read from: a replica behind the primary, or a phase that has ended. */
export function ReadingNotices({
  slug,
  id,
  overview,
  maxLagSeconds,
}: {
  slug: string;
  id: string;
  overview: Overview;
  maxLagSeconds: number;
}) {
  return (
    <>
      {overview.replicaLagSeconds !== null && overview.replicaLagSeconds > maxLagSeconds ? (
        <p role="status" className="rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900">
          These results were read from a replica {Math.round(overview.replicaLagSeconds)} seconds behind the primary
          database: the newest events may not be counted yet.
        </p>
      ) : null}
      {!overview.phases.read.includes(overview.phases.current) ? (
        <p role="status" className="rounded-md border border-slate-300 bg-slate-50 px-4 py-2 text-sm text-slate-800">
          You are reading phase {overview.phases.read.join(", ")}, which has ended.{" "}
          <Link href={`/${slug}/experiments/${id}`} className="font-medium text-brand-700 hover:underline">
            Read the current phase ({overview.phases.current})
          </Link>
        </p>
      ) : null}
    </>
  );
}
