import { domainContext } from "@/lib/server/wiring/domain";
import { onlineOverview } from "@/lib/evaluation/online/overview";
import { encodePromptName } from "@/lib/registry/name-rules";
import { presetsForOnline } from "@/lib/scorers/presets";
import { requirePrompt } from "@/lib/server/wiring/session";
import { ScoreChart } from "@/components/online/score-chart";
import { blockedReason } from "@/components/blocked-reasons";
import { Card } from "@/components/ui/card";
import { JudgeAgreementCard } from "@/components/online/judge-agreement";
import { ShadowComparisonView } from "@/components/online/shadow-comparison";
import { AlertList } from "../../alerts/_components/alert-list";
import { LastCheckCard } from "./_components/last-check-card";
import { BucketNav, EnvironmentNav, VersionsCard } from "./_components/online-sections";
import { RuleForm } from "./_components/rule-form";
import { SamplesPanel } from "./_components/samples-panel";
import { PageHeader } from "@/components/ui/page-header";
import { promptPageTitle, type NamedPageProps } from "@/lib/server/wiring/page-props";
import { promptCrumbs } from "@/components/prompt/crumbs";

type Search = { environment?: string; bucket?: string };

export const generateMetadata = promptPageTitle("Online evaluation · ");

export default async function OnlineEvaluationPage({ params, searchParams }: NamedPageProps<Search>) {
  const { project: slug, name: segments } = await params;
  const sp = await searchParams;
  const { ctx, db, prompt, name } = await requirePrompt(slug, segments);
  const o = await onlineOverview(await domainContext(db, ctx.actor, ctx.project.id), prompt, sp);
  const { environment, bucket, lastCheck, versions, liveHere } = o;
  const encoded = encodePromptName(name);
  const base = `/${slug}/online/${encoded}`;

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-3">
        <PageHeader
          detail
          breadcrumb={[...promptCrumbs(slug, name), { label: "Online evaluation" }]}
          title={<>Online evaluation · {name}</>}
          titleClassName="break-all"
          descriptionClassName="max-w-prose"
          description="Lectern samples the outputs your application reports (generation events with an output), scores them, and compares the live version with the last known-good one. Past the thresholds it alerts, and if you allow it, rolls back."
        />
        <EnvironmentNav base={base} environments={o.environments} current={environment} />
      </div>

      {o.openAlerts.length ? (
        <Card title="Open alerts" id="alerts">
          <AlertList
            slug={slug}
            alerts={o.openAlerts}
            blocked={blockedReason(ctx.actor, "alert.acknowledge")}
            compact
          />
        </Card>
      ) : null}

      {o.exists ? (
        <>
          <LastCheckCard lastCheck={lastCheck} rollbackJudges={o.rollbackJudges} />

          <Card
            title="Scores over time"
            id="chart"
            actions={<BucketNav base={base} environment={environment} bucket={bucket} />}
          >
            <ScoreChart points={o.series} bucket={bucket} />
          </Card>

          <VersionsCard environment={environment} versions={versions} liveHere={liveHere} />

          {o.shadow ? (
            <Card
              title="Shadow evaluation"
              id="shadow"
              description={`Candidate versions answer sampled live inputs in ${environment} off the user's path: no user sees their answers. Each is compared with the live version's answer to the same input.`}
            >
              <ShadowComparisonView shadow={o.shadow} />
            </Card>
          ) : null}

          {o.judges.length ? (
            <JudgeAgreementCard
              judges={o.judges}
              description="Does the LLM judge agree with people? Label sampled outputs; with 30 labels or more, Cohen's κ says how far to trust the judge (below 0.6, not alone)."
              labelHref={blockedReason(ctx.actor, "annotation.write") ? null : `/${slug}/annotate?rule=${o.ruleId}`}
            />
          ) : null}

          {versions.length ? (
            <Card
              title="Scored outputs"
              id="samples"
              description="What was produced and why each scorer judged it as it did."
            >
              <SamplesPanel
                slug={slug}
                prompt={name}
                environment={environment}
                versions={versions.map((v) => v.version)}
                initialVersion={o.samplesVersion!}
                datasets={o.datasets}
              />
            </Card>
          ) : null}
        </>
      ) : null}

      <Card
        title={o.exists ? `Rule for ${environment}` : `Evaluate ${environment}`}
        id="rule"
        description={o.exists ? undefined : `${name} is not evaluated in ${environment} yet.`}
      >
        <RuleForm
          key={environment}
          slug={slug}
          prompt={name}
          initial={o.initial}
          exists={o.exists}
          blocked={blockedReason(ctx.actor, "evaluation.manage")}
          presets={presetsForOnline(o.judgeModel)}
          connections={o.connections}
          judgeModel={o.judgeModel}
        />
      </Card>
    </div>
  );
}
