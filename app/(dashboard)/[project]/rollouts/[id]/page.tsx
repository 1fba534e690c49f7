import Link from "next/link";
import { notFound } from "next/navigation";
import { deployPermission } from "@/lib/auth/permissions";
import { encodePromptName } from "@/lib/registry/name-rules";
import { getDb } from "@/lib/server/wiring/db";
import { requireProject } from "@/lib/server/wiring/session";
import { rolloutOverview } from "@/lib/views/rollouts-overview";
import { blockedReason } from "@/components/permissions";
import { formatCount, metricLabel } from "@/components/experiments/format";
import { envTone } from "@/components/release/badges";
import { RolloutControls } from "@/components/rollouts/rollout-controls";
import { RolloutGuardrails } from "@/components/rollouts/rollout-guardrails";
import { RolloutLog, RolloutStatusBadge } from "@/components/rollouts/rollout-log";
import { StepTrack } from "@/components/rollouts/step-track";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Time } from "@/components/ui/time";
import { AutoRefresh } from "../../experiments/[id]/_components/auto-refresh";
import { rolloutControlAction } from "../../prompts/[...name]/_actions";
import { SampleRatio } from "./_components/sample-ratio";

type Params = { project: string; id: string };

export async function generateMetadata({ params }: { params: Promise<Params> }) {
  const { project: slug, id } = await params;
  const ctx = await requireProject(slug);
  const o = await rolloutOverview(await getDb(), ctx.project.id, id);
  return { title: o ? `Rollout of ${o.rollout.prompt} v${o.rollout.version}` : "Rollout" };
}

export default async function RolloutPage({ params }: { params: Promise<Params> }) {
  const { project: slug, id } = await params;
  const ctx = await requireProject(slug);
  const o = await rolloutOverview(await getDb(), ctx.project.id, id);
  if (!o) notFound();
  const r = o.rollout;
  const blocked = blockedReason(ctx.actor, "experiment.manage")
    ? "Approvers and admins manage rollouts."
    : blockedReason(ctx.actor, deployPermission(o.environment));
  const step = r.steps[r.step]!;
  const live = r.liveVersion === null ? "the live version" : `version ${r.liveVersion}`;
  const promptHref = `/${slug}/prompts/${encodePromptName(r.prompt)}`;

  return (
    <div className="flex flex-col gap-6">
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

      <Card title="Where it stands" id="share">
        <div className="flex flex-col gap-3">
          <p className="text-sm text-slate-800" data-testid="rollout-share">
            {o.active ? (
              <>
                <span className="font-semibold">
                  {r.percent} % of subjects on version {r.version}
                </span>{" "}
                (step {r.step + 1} of {r.steps.length}). The rest, and requests without a subject, get {live}.
                {r.status === "paused"
                  ? " Paused: the share stays here and nothing is decided automatically until someone resumes."
                  : ""}
              </>
            ) : r.status === "completed" ? (
              <span className="font-semibold">
                Completed: {r.environment} serves version {r.version} to everyone.
              </span>
            ) : r.status === "rolled_back" ? (
              <span className="font-semibold">Rolled back: everyone gets {live} again.</span>
            ) : (
              <span className="font-semibold">Stopped by a release of {r.prompt} meanwhile.</span>
            )}
          </p>
          <StepTrack
            steps={r.steps}
            current={r.status === "completed" ? r.steps.length - 1 : r.step}
            label={`Steps of the rollout of version ${r.version}`}
          />
          {o.active ? (
            <p className="text-sm text-slate-700" data-testid="rollout-subjects">
              Subjects since the rollout started: {formatCount(r.current?.newSubjects ?? 0)} on version {r.version}{" "}
              (new), {formatCount(r.current?.liveSubjects ?? 0)} on {live} (live), one seen at two steps counted at
              each. This step waits for {step.minMinutes} minutes from <Time value={r.stepStartedAt} />,{" "}
              {formatCount(step.minSubjects)} subjects on version {r.version}, and {formatCount(r.minSamplePerArm)}{" "}
              subjects on each version for every guardrail with data
              {r.margin !== null
                ? `; every guardrail's interval must rule out a harm above ${(r.margin * 100).toFixed(1)} %`
                : ""}
              .
            </p>
          ) : null}
          {o.active && r.lastCheck ? (
            <p
              className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
              role="status"
              data-testid="rollout-waiting"
            >
              <span className="font-semibold">Waiting:</span> {r.lastCheck.reason}.{" "}
              <span className="text-xs">
                (The rollouts job looked <Time value={r.lastCheck.at} />, reading every event accepted before then.)
              </span>
            </p>
          ) : null}
          {o.active ? (
            <RolloutControls
              slug={slug}
              id={r.id}
              status={r.status}
              what={{ next: `version ${r.version}`, live }}
              environment={r.environment}
              percent={r.percent}
              nextPercent={o.nextPercent}
              blocked={blocked}
              act={rolloutControlAction}
            />
          ) : null}
        </div>
      </Card>

      {o.active ? (
        <Card
          title="Guardrails"
          id="guardrails"
          description="The new version against the live one over the whole rollout so far, read from every event accepted before the page was read."
        >
          <RolloutGuardrails rollout={r} title="Guardrails since the rollout started" />
        </Card>
      ) : null}

      <Card
        title="Traffic split"
        id="traffic-split"
        description="Whether the subjects reached each version as the steps' shares say."
      >
        <SampleRatio check={r.sampleRatio} version={r.version} />
      </Card>

      <Card title="Decision log" id="decisions" description="Every decision, newest first, with what it read.">
        <RolloutLog rollout={r} />
      </Card>

      <Card title="Definition" id="definition">
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
      </Card>
    </div>
  );
}
