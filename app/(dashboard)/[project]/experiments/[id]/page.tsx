import { notFound, redirect } from "next/navigation";
import { getDb, getReadDb } from "@/lib/server/wiring/db";
import { experimentName, experimentOverview, isRolloutId } from "@/lib/views/experiment-overview";
import { requireProject } from "@/lib/server/wiring/session";
import { blockedReason } from "@/components/blocked-reasons";
import { Card } from "@/components/ui/card";
import { LiftChart } from "@/components/experiments/lift-chart";
import { WeightsChart } from "@/components/experiments/weights-chart";
import { metricLabel } from "@/components/experiments/experiment-format";
import { Term } from "@/components/glossary/term";
import { ArmsTable } from "./_components/arms-table";
import { DefinitionList } from "./_components/definition-list";
import { ExperimentHeader, ReadingNotices } from "./_components/experiment-header";
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
  const { experiment: dto, results, messages, lift, weights } = overview;
  const primary = results.primaryMetric;
  const guardrails = dto.guardrails;
  const manageBlocked = blockedReason(ctx.actor, "experiment.manage");
  const intervalName = overview.interval.name;
  const interval = <Term k={overview.interval.term}>{intervalName} (likely range)</Term>;
  const showWeights = weights.shown;

  return (
    <div className="flex flex-col gap-6">
      <ExperimentHeader slug={slug} overview={overview} blocked={manageBlocked} />

      <ReadingNotices slug={slug} id={id} overview={overview} maxLagSeconds={read.maxLagSeconds} />

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
