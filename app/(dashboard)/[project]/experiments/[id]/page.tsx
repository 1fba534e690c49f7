import { encodePromptName } from "@/lib/registry/name-rules";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { getDb, getReadDb } from "@/lib/server/wiring/db";
import { experimentName, experimentOverview, isRolloutId } from "@/lib/views/experiment-overview";
import { requireProject } from "@/lib/server/wiring/session";
import { blockedReason } from "@/components/permissions";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { envTone } from "@/components/release/badges";
import { ExperimentStatusBadge, ModeBadge } from "@/components/experiments/badges";
import { LiftChart } from "@/components/experiments/lift-chart";
import { WeightsChart } from "@/components/experiments/weights-chart";
import { metricLabel } from "@/components/experiments/format";
import { Term } from "@/components/glossary/term";
import { ArmsTable } from "./_components/arms-table";
import { AutoRefresh } from "./_components/auto-refresh";
import { DefinitionList } from "./_components/definition-list";
import { ExperimentControls } from "./_components/experiment-controls";
import { RatiosTable } from "./_components/ratios-table";
import { GuardrailsTable } from "./_components/guardrails-table";
import { PhasesCard } from "./_components/phases-card";
import { VerdictCard } from "./_components/verdict-card";

type Params = { project: string; id: string };

export async function generateMetadata({ params }: { params: Promise<Params> }) {
  const { project: slug, id } = await params;
  const ctx = await requireProject(slug);
  return { title: (await experimentName(await getDb(), ctx.project.id, id)) ?? "Experiment" };
}

export default async function ExperimentPage({
  params,
  searchParams,
}: {
  params: Promise<Params>;
  searchParams: Promise<{ phase?: string }>;
}) {
  const { project: slug, id } = await params;
  const asked = Number((await searchParams).phase);
  const ctx = await requireProject(slug);
  const db = await getDb();
  if (await isRolloutId(db, ctx.project.id, id)) redirect(`/${slug}/rollouts/${id}`);
  const read = await getReadDb();
  const phase = Number.isInteger(asked) && asked > 0 ? asked : undefined;
  const overview = await experimentOverview(db, ctx.project.id, id, undefined, read, phase);
  if (!overview) notFound();
  const { experiment: dto, results, environment: env, messages, lift, weights } = overview;
  const primary = results.primaryMetric;
  const guardrails = dto.guardrails;
  const manageBlocked = blockedReason(ctx.actor, "experiment.manage");
  const intervalName = overview.interval.name;
  const interval = <Term k={overview.interval.term}>{intervalName} (likely range)</Term>;
  const showWeights = weights.shown;

  return (
    <div className="flex flex-col gap-6">
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
              blocked={manageBlocked}
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

      {overview.replicaLagSeconds !== null && overview.replicaLagSeconds > read.maxLagSeconds ? (
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

      <VerdictCard experiment={dto} results={results} decision={dto.decision} stoppedAt={dto.stoppedAt} slug={slug} />

      <Card
        title="Variants"
        id="variants"
        description={
          <>
            {metricLabel(primary.name)} is the primary metric (
            {primary.goal === "increase" ? "higher is better" : "lower is better"}). <Term k="lift">Lifts</Term> are
            relative to the control, with their {interval}.
          </>
        }
      >
        <ArmsTable slug={slug} experiment={dto} results={results} messages={messages} intervalName={intervalName} />
        {results.unattributed.line ? (
          // Events that named an arm the server did not serve their subject: shown, counted in no arm.
          <p data-testid="unattributed" className="mt-3 text-sm text-slate-700">
            {results.unattributed.line}. They count in no arm&apos;s numbers.
          </p>
        ) : null}
      </Card>

      <Card
        title="Lift over time"
        id="lift-over-time"
        description={
          <>
            Cumulative <Term k="lift">lift</Term> on {metricLabel(primary.name).toLowerCase()} with its {interval}, the
            estimate the verdict states: when the band no longer crosses 0, the difference is <Term k="significant" />.
          </>
        }
      >
        <LiftChart
          data={lift.timeline}
          series={lift.series}
          control={lift.control}
          bin={lift.bin}
          emptyText={
            dto.status === "draft"
              ? "The chart fills once the experiment runs and events arrive."
              : "No events yet: the chart fills as your application sends them."
          }
        />
      </Card>
      {showWeights ? (
        <Card
          title={dto.mode === "bandit" ? "Bandit weights over time" : "Traffic split over time"}
          id="weights-over-time"
          description={
            dto.mode === "bandit"
              ? "Share of new subjects sent to each variant after each reweighting, and the chance each is best."
              : "Each change of weights started a new phase; results count the current phase only."
          }
        >
          <WeightsChart phases={weights.phases} variants={dto.variants.map((v) => v.key)} until={weights.until} />
        </Card>
      ) : null}

      <PhasesCard phases={overview.phases} base={`/${slug}/experiments/${id}`} />

      {guardrails.length ? (
        <Card
          title="Guardrails"
          id="guardrails"
          description={
            <>
              Metrics that must not get worse. A breach is called only when the change is <Term k="significant" /> (
              <Term k="holm" /> over the guardrails).
            </>
          }
        >
          <GuardrailsTable experiment={dto} results={results} guardrails={guardrails} />
        </Card>
      ) : null}

      {results.ratios.length ? (
        <Card
          title="Ratio metrics"
          id="ratios"
          description={
            <>
              Totals over totals, such as cost per completed task, compared per subject by the delta method with its{" "}
              {interval}. Shown for information: they do not decide the experiment.
            </>
          }
        >
          <RatiosTable results={results} />
        </Card>
      ) : null}

      <Card
        title="Definition"
        id="definition"
        description="Fixed when the experiment was defined; the planned sample comes from α, power, the smallest lift worth detecting and the baseline."
      >
        <DefinitionList experiment={dto} />
      </Card>
    </div>
  );
}
