import Link from "next/link";
import { formatCount } from "@/components/experiments/experiment-format";
import { RolloutControls } from "@/components/rollouts/rollout-controls";
import { RolloutGuardrails, type ActiveRollout } from "@/components/rollouts/rollout-guardrails";
import { RolloutLog } from "@/components/rollouts/rollout-log";
import { RolloutHeading, RolloutShareSentence } from "@/components/rollouts/rollout-summary";
import { StepTrack } from "@/components/rollouts/step-track";
import { Time } from "@/components/ui/time";
import { rolloutControlAction } from "../_actions";

/** The moves on a prompt's rollout under way (pause, resume, advance, roll back): in its panel and on its page. */
export function PromptRolloutControls({
  slug,
  rollout: r,
  live,
  nextPercent,
  blocked,
}: {
  slug: string;
  rollout: Pick<ActiveRollout, "id" | "status" | "version" | "environment" | "percent">;
  live: string;
  nextPercent: number | null;
  blocked: string | null;
}) {
  return (
    <RolloutControls
      slug={slug}
      id={r.id}
      status={r.status}
      what={{ next: `version ${r.version}`, live }}
      environment={r.environment}
      percent={r.percent}
      nextPercent={nextPercent}
      blocked={blocked}
      act={rolloutControlAction}
    />
  );
}

/** A running or paused rollout: where it stands, what its guardrails read, what was decided, and the controls. */
export function RolloutPanel({
  slug,
  rollout: r,
  blocked,
}: {
  slug: string;
  rollout: ActiveRollout;
  blocked: string | null;
}) {
  const step = r.steps[r.step]!;
  const next = r.steps[r.step + 1];
  const live = r.liveVersion === null ? "the live version" : `version ${r.liveVersion}`;
  const headingId = `rollout-${r.id}-title`;
  return (
    <article
      aria-labelledby={headingId}
      className="flex min-w-0 flex-col gap-3 rounded-md border border-slate-200 p-3"
      data-testid="active-rollout"
    >
      <RolloutHeading
        id={headingId}
        title={`Version ${r.version} → ${r.environment}`}
        status={r.status}
        startedAt={r.startedAt}
      />
      <Link href={`/${slug}/rollouts/${r.id}`} className="text-xs text-brand-700 underline">
        Open the rollout’s page (traffic split, what each decision read)
      </Link>
      <p className="text-sm text-slate-800" data-testid="rollout-share">
        <RolloutShareSentence r={r} live={live} />
      </p>
      <StepTrack steps={r.steps} current={r.step} label={`Steps of the rollout of version ${r.version}`} />
      <p className="text-sm text-slate-700" data-testid="rollout-subjects">
        Subjects since the rollout started: {formatCount(r.current?.newSubjects ?? 0)} on version {r.version} (new),{" "}
        {formatCount(r.current?.liveSubjects ?? 0)} on {live} (live). This step waits for at least{" "}
        {formatCount(step.minSubjects)} on version {r.version} and {step.minMinutes} minutes from{" "}
        <Time value={r.stepStartedAt} />
        {next ? ` before ${next.percent === 100 ? "it completes" : `it moves to ${next.percent} %`}` : ""}
        {r.margin !== null
          ? `, and every guardrail's interval must rule out a harm above ${(r.margin * 100).toFixed(1)} %`
          : ""}
        .
      </p>
      {r.lastCheck ? (
        <p className="text-sm text-amber-900" role="status" data-testid="rollout-waiting">
          <span className="font-semibold">Waiting:</span> {r.lastCheck.reason} (looked <Time value={r.lastCheck.at} />
          ).
        </p>
      ) : null}
      <RolloutGuardrails rollout={r} />
      <PromptRolloutControls
        slug={slug}
        rollout={r}
        live={live}
        nextPercent={next && r.step + 1 < r.steps.length - 1 ? next.percent : null}
        blocked={blocked}
      />
      <div className="flex flex-col gap-1">
        <h4 className="text-sm font-semibold text-slate-900">Decision log</h4>
        <RolloutLog rollout={r} />
      </div>
    </article>
  );
}
