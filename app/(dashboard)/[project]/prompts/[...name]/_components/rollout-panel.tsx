import { readingText } from "@/lib/experiments/rollout-decide";
import { formatCount, liftWithInterval, metricLabel } from "@/components/experiments/format";
import { Term } from "@/components/glossary/term";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { RolloutControls } from "./rollout-controls";
import { RolloutLog, RolloutStatusBadge } from "./rollout-log";
import type { ActiveRollout } from "./rollouts-read";

type Step = ActiveRollout["steps"][number];
type Reading = NonNullable<ActiveRollout["current"]>["guardrails"][number];

/** One step of the track: its share, its minimums, and whether it is done, under way or to come. */
function StepItem({ step, index, current, last }: { step: Step; index: number; current: number; last: boolean }) {
  const state = index < current ? "done" : index === current ? "now" : index === current + 1 ? "next" : "later";
  const tone =
    state === "now"
      ? "border-brand-600 bg-brand-50 text-slate-900"
      : state === "done"
        ? "border-slate-200 bg-slate-50 text-slate-600"
        : "border-slate-200 bg-white text-slate-700";
  return (
    <li
      className={`min-w-0 rounded-md border px-2 py-1 text-xs ${tone}`}
      aria-current={state === "now" ? "step" : undefined}
      data-step-state={state}
    >
      <span className="font-semibold">
        Step {index + 1}: {step.percent} %
      </span>{" "}
      · {state}
      <span className="block text-slate-600">
        {last
          ? "everyone gets the new version"
          : `at least ${step.minMinutes} min and ${formatCount(step.minSubjects)} subjects`}
      </span>
    </li>
  );
}

/** A guardrail so far in words: worse beyond chance (the rollout rolls back), no data yet, or no harm shown. */
function verdict(g: Reading, margin: number | null) {
  if (g.significant) return <Badge tone="red">Significantly worse: rolls back</Badge>;
  if (g.lift === null) return <span className="text-slate-600">No data yet</span>;
  if (margin !== null && g.ci) {
    const worst = g.direction === "increase_is_bad" ? g.ci[1] : -g.ci[0];
    if (worst > margin)
      return (
        <span className="text-slate-700">
          Not worse so far; a harm above {(margin * 100).toFixed(1)} % not yet ruled out
        </span>
      );
  }
  return <span className="text-slate-700">Not significantly worse</span>;
}

/** "CUPED, −38 % variance" beside a reading adjusted for the subjects' own history, with the why on hover. */
function CupedNote({ cuped }: { cuped: { varianceReduction: number } | null }) {
  if (!cuped) return null;
  const r = Math.round(cuped.varianceReduction);
  return (
    <span
      className="block text-xs text-emerald-700"
      data-testid="rollout-cuped"
      title="Adjusted for what each subject did before the rollout (CUPED): the part of their result their own history predicts is taken out, so the same subjects give a narrower interval. Subjects are split at random, so the estimate stays fair."
    >
      CUPED, {r >= 0 ? `−${r}` : `+${-r}`} % variance
    </span>
  );
}

function Guardrails({ rollout: r }: { rollout: ActiveRollout }) {
  const readings = r.current?.guardrails ?? [];
  if (readings.every((g) => g.lift === null && !g.significant))
    return (
      <p className="text-sm text-slate-600" data-testid="rollout-no-readings">
        No guardrail data yet: {r.guardrails.map((g) => metricLabel(g.name)).join(", ")} are read once both versions
        have events.
      </p>
    );
  return (
    <div className="flex flex-col gap-1">
      <h4 className="text-sm font-semibold text-slate-900">Guardrails since the rollout started</h4>
      <Table
        caption={`Guardrails of version ${r.version} against version ${r.liveVersion ?? "live"} since the rollout started`}
        stack
      >
        <thead>
          <tr>
            <Th>Guardrail</Th>
            <Th>
              <Term k="lift">Lift</Term> and <Term k="alwaysValidInterval">interval</Term>
            </Th>
            <Th>Reading</Th>
          </tr>
        </thead>
        <tbody>
          {readings.map((g) => (
            <tr key={g.metric} data-testid="rollout-guardrail" data-significant={g.significant || undefined}>
              <Td label="Guardrail" className="break-words">
                <span className="font-medium text-slate-900">{metricLabel(g.metric)}</span>{" "}
                <span className="text-xs text-slate-600">
                  ({g.direction === "increase_is_bad" ? "higher is worse" : "lower is worse"})
                </span>
              </Td>
              <Td label="Lift and interval" className="tabular-nums text-slate-800">
                {liftWithInterval(g.lift, g.ci)}
                <span className="sr-only"> ({readingText(g)})</span>
                <CupedNote cuped={g.cuped ?? null} />
              </Td>
              <Td label="Reading" className="text-sm">
                {verdict(g, r.margin)}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
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
      <div className="flex flex-wrap items-center gap-2">
        <h3 id={headingId} className="text-sm font-semibold text-slate-900">
          Version {r.version} → {r.environment}
        </h3>
        <RolloutStatusBadge status={r.status} />
        {r.startedAt ? (
          <span className="text-xs text-slate-600">
            started <Time value={r.startedAt} />
          </span>
        ) : null}
      </div>
      <p className="text-sm text-slate-800" data-testid="rollout-share">
        <span className="font-semibold">
          {r.percent} % of subjects on version {r.version}
        </span>{" "}
        (step {r.step + 1} of {r.steps.length}). The rest, and requests without a subject, get {live}.
        {r.status === "paused"
          ? " Paused: the share stays here and nothing is decided automatically until someone resumes."
          : ""}
      </p>
      <ol className="flex flex-wrap gap-2" aria-label={`Steps of the rollout of version ${r.version}`}>
        {r.steps.map((s, i) => (
          <StepItem key={i} step={s} index={i} current={r.step} last={i === r.steps.length - 1} />
        ))}
      </ol>
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
      <Guardrails rollout={r} />
      <RolloutControls
        slug={slug}
        id={r.id}
        status={r.status}
        version={r.version}
        liveVersion={r.liveVersion}
        environment={r.environment}
        percent={r.percent}
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
