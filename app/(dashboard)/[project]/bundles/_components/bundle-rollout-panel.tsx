import type { ActiveBundleRollout } from "@/lib/views/bundle-rollouts-overview";
import { formatCount } from "@/components/experiments/experiment-format";
import { RolloutControls } from "@/components/rollouts/rollout-controls";
import { RolloutGuardrails } from "@/components/rollouts/rollout-guardrails";
import { RolloutLog } from "@/components/rollouts/rollout-log";
import { RolloutHeading } from "@/components/rollouts/rollout-summary";
import { StepTrack } from "@/components/rollouts/step-track";
import { Time } from "@/components/ui/time";
import { rolloutControlAction } from "../../prompts/[...name]/_actions";

type Member = ActiveBundleRollout["members"][number];

/** "crew/act v1 → v2": what a member served when the rollout started, and what it rolls out. */
export const memberChange = (m: Pick<Member, "prompt" | "version" | "liveVersion">) =>
  `${m.prompt} ${m.liveVersion === null ? "live" : `v${m.liveVersion}`} → v${m.version}`;

/**
 * A bundle's running or paused rollout: its one share and step track, the members it changes, what each
 * member's guardrails read, the controls (a move on the group, through its first member) and the decision log.
 */
export function BundleRolloutPanel({
  slug,
  rollout: r,
  blocked,
}: {
  slug: string;
  rollout: ActiveBundleRollout;
  blocked: string | null;
}) {
  const step = r.steps[r.step]!;
  const next = r.steps[r.step + 1];
  const before = `what ${r.environment} served before`;
  const lead = r.readings[0];
  // Before any member has data, one line says so; then each member's table.
  const read = r.readings.some((m) => m.current?.guardrails.some((g) => g.lift !== null || g.significant));
  const headingId = `bundle-rollout-${r.id}-title`;
  return (
    <article
      aria-labelledby={headingId}
      className="flex min-w-0 flex-col gap-3 rounded-md border border-slate-200 p-3"
      data-testid="active-bundle-rollout"
      data-environment={r.environment}
    >
      <RolloutHeading
        id={headingId}
        title={`Bundle ${r.bundle} → ${r.environment}`}
        status={r.status}
        startedAt={r.startedAt}
      />
      <p className="text-sm text-slate-800" data-testid="rollout-share">
        <span className="font-semibold">{r.percent} % of subjects on the new versions</span> (step {r.step + 1} of{" "}
        {r.steps.length}), on every member at once. The rest, and requests without a subject, get {before}.
        {r.status === "paused"
          ? " Paused: the share stays here and nothing is decided automatically until someone resumes."
          : ""}
      </p>
      <StepTrack
        steps={r.steps}
        current={r.step}
        label={`Steps of the rollout of bundle ${r.bundle}`}
        what="the new versions"
      />
      <div className="flex flex-col gap-1">
        <h4 className="text-sm font-semibold text-slate-900">Members it changes</h4>
        <ul className="flex flex-wrap gap-2 text-sm" data-testid="bundle-rollout-members">
          {r.members.map((m) => (
            <li
              key={m.prompt}
              data-rollout-member={m.prompt}
              className="rounded-md bg-slate-50 px-2 py-1 text-slate-800"
            >
              {memberChange(m)}
            </li>
          ))}
        </ul>
      </div>
      <p className="text-sm text-slate-700" data-testid="rollout-subjects">
        Subjects since the rollout started: {formatCount(lead?.current?.newSubjects ?? 0)} on the new versions,{" "}
        {formatCount(lead?.current?.liveSubjects ?? 0)} on {before}. This step waits for at least{" "}
        {formatCount(step.minSubjects)} on the new versions and {step.minMinutes} minutes from{" "}
        <Time value={r.stepStartedAt} />
        {next
          ? ` before ${next.percent === 100 ? "it completes as one bundle release" : `it moves to ${next.percent} %`}`
          : ""}
        {r.margin !== null
          ? `, and every guardrail's interval must rule out a harm above ${(r.margin * 100).toFixed(1)} %`
          : ""}
        . A guardrail significantly worse on any member rolls back every member.
      </p>
      {read ? (
        r.readings.map((m) => (
          <RolloutGuardrails key={m.id} rollout={m} title={`Guardrails of ${m.prompt} (v${m.version})`} />
        ))
      ) : lead ? (
        <RolloutGuardrails rollout={lead} />
      ) : null}
      {r.members[0] ? (
        <RolloutControls
          slug={slug}
          id={r.members[0].rollout}
          status={r.status}
          what={{ next: "the new versions", live: before }}
          environment={r.environment}
          percent={r.percent}
          nextPercent={next && r.step + 1 < r.steps.length - 1 ? next.percent : null}
          blocked={blocked}
          act={rolloutControlAction}
        />
      ) : null}
      <div className="flex flex-col gap-1">
        <h4 className="text-sm font-semibold text-slate-900">Decision log</h4>
        <RolloutLog rollout={r} what={`bundle ${r.bundle}`} />
      </div>
    </article>
  );
}
