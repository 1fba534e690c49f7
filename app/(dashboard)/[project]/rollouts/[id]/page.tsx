import { notFound } from "next/navigation";
import { deployPermission } from "@/lib/auth/permissions";
import { encodePromptName } from "@/lib/registry/name-rules";
import { getDb } from "@/lib/server/wiring/db";
import { requireProject } from "@/lib/server/wiring/session";
import { rolloutOverview } from "@/lib/views/rollouts-overview";
import { blockedReason } from "@/components/blocked-reasons";
import { formatCount } from "@/components/experiments/experiment-format";
import { RolloutGuardrails } from "@/components/rollouts/rollout-guardrails";
import { RolloutLog } from "@/components/rollouts/rollout-log";
import { RolloutShareSentence } from "@/components/rollouts/rollout-summary";
import { StepTrack } from "@/components/rollouts/step-track";
import { Card } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { PromptRolloutControls } from "../../prompts/[...name]/_components/rollout-panel";
import { RolloutDefinition, RolloutHeader } from "./_components/rollout-sections";
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
      <RolloutHeader slug={slug} o={o} promptHref={promptHref} />

      <Card title="Where it stands" id="share">
        <div className="flex flex-col gap-3">
          <p className="text-sm text-slate-800" data-testid="rollout-share">
            {o.active ? (
              <RolloutShareSentence r={r} live={live} />
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
            <PromptRolloutControls slug={slug} rollout={r} live={live} nextPercent={o.nextPercent} blocked={blocked} />
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
        <RolloutDefinition rollout={r} />
      </Card>
    </div>
  );
}
