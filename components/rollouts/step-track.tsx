import type { RolloutStep } from "@/lib/experiments/contracts";
import { formatCount } from "@/components/experiments/experiment-format";

type Step = RolloutStep;

/** One step of the track: its share, its minimums, and whether it is done, under way or to come. */
function StepItem({
  step,
  index,
  current,
  last,
  what,
}: {
  step: Step;
  index: number;
  current: number;
  last: boolean;
  what: string;
}) {
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
          ? `everyone gets ${what}`
          : `at least ${step.minMinutes} min and ${formatCount(step.minSubjects)} subjects`}
      </span>
    </li>
  );
}

/** A rollout's steps in a row, the current one marked (aria-current="step"). */
export function StepTrack({
  steps,
  current,
  label,
  what = "the new version",
}: {
  steps: Step[];
  current: number;
  label: string;
  /** What the last step gives everyone. */
  what?: string;
}) {
  return (
    <ol className="flex flex-wrap gap-2" aria-label={label}>
      {steps.map((s, i) => (
        <StepItem key={i} step={s} index={i} current={current} last={i === steps.length - 1} what={what} />
      ))}
    </ol>
  );
}
