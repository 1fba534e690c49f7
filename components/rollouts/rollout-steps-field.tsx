"use client";

import { GatedButton } from "@/components/ui/gated-button";

/** A step as typed: strings, so a field may be empty while someone types. */
export type StepEdit = { key: number; percent: string; minMinutes: string; minSubjects: string };
type Step = { percent: number; minMinutes: number; minSubjects: number };

/** The field's lines for steps (an environment's own, or the default). */
export const stepEdits = (steps: readonly Step[]): StepEdit[] =>
  steps.map((s, key) => ({
    key,
    percent: String(s.percent),
    minMinutes: String(s.minMinutes),
    minSubjects: String(s.minSubjects),
  }));

/** The steps as the server takes them (it says which is wrong). */
export const typedSteps = (steps: StepEdit[]): Step[] =>
  steps.map((s) => ({
    percent: Number(s.percent),
    minMinutes: Number(s.minMinutes),
    minSubjects: Number(s.minSubjects),
  }));

const columns = [
  { field: "percent", head: "Share (%)", min: 0, max: 100, step: "any" },
  { field: "minMinutes", head: "Min. minutes", min: 0, max: 10080, step: "1" },
  { field: "minSubjects", head: "Min. subjects", min: 0, max: 10_000_000, step: "1" },
] as const;

let nextKey = 1000;

/** The rollout's steps, one line each: its share and the minimums it waits for before the next. */
export function RolloutStepsField({
  steps,
  onChange,
  error,
}: {
  steps: StepEdit[];
  onChange: (steps: StepEdit[]) => void;
  error?: string;
}) {
  const set = (i: number, field: (typeof columns)[number]["field"], value: string) =>
    onChange(steps.map((s, j) => (j === i ? { ...s, [field]: value } : s)));
  const add = () => {
    const last = steps[steps.length - 1];
    // A new step goes before the last (100 %) one, halfway between its neighbours.
    const before = Number(steps[steps.length - 2]?.percent ?? 0) || 0;
    const mid = Math.round((before + 100) / 2);
    const added = { key: nextKey++, percent: String(mid), minMinutes: "60", minSubjects: "100" };
    onChange(last ? [...steps.slice(0, -1), added, last] : [added]);
  };
  return (
    <fieldset className="flex min-w-0 flex-col gap-2">
      <legend className="text-sm font-medium text-slate-700">Steps</legend>
      <p className="text-xs text-slate-600">
        Each step holds until it has run its minimum minutes and the new version has its minimum subjects (counted from
        the start), while no guardrail is significantly worse; the last step must be 100 %.
      </p>
      <ol className="flex flex-col gap-2" aria-label="Steps of the rollout">
        {steps.map((s, i) => (
          <li
            key={s.key}
            className="grid grid-cols-3 items-end gap-2 border-b border-slate-100 pb-2 sm:flex sm:flex-wrap"
          >
            <div className="col-span-3 flex items-center gap-2 text-sm font-medium text-slate-800 sm:w-32 sm:self-center">
              Step {i + 1}
              <GatedButton
                type="button"
                size="sm"
                variant="ghost"
                aria-label={`Remove step ${i + 1}`}
                blockedReason={steps.length <= 2 ? "A rollout has at least two steps." : null}
                onClick={() => onChange(steps.filter((_, j) => j !== i))}
              >
                Remove
              </GatedButton>
            </div>
            {columns.map((c) => {
              const id = `rollout-step-${i}-${c.field}`;
              return (
                <div key={c.field} className="flex min-w-0 flex-col gap-1 sm:w-36">
                  <label htmlFor={id} className="text-xs font-medium text-slate-700">
                    <span className="sr-only">Step {i + 1} </span>
                    {c.head}
                  </label>
                  <input
                    id={id}
                    type="number"
                    inputMode="decimal"
                    min={c.min}
                    max={c.max}
                    step={c.step}
                    required
                    value={s[c.field]}
                    onChange={(e) => set(i, c.field, e.target.value)}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? "rollout-steps-error" : undefined}
                    className="w-full min-w-0 rounded-md border border-slate-300 px-2 py-1.5 text-sm shadow-sm focus:border-brand-600"
                  />
                </div>
              );
            })}
          </li>
        ))}
      </ol>
      <div>
        <GatedButton
          type="button"
          size="sm"
          variant="secondary"
          blockedReason={steps.length >= 10 ? "A rollout has at most 10 steps." : null}
          onClick={add}
        >
          Add a step
        </GatedButton>
      </div>
      {error ? (
        <p id="rollout-steps-error" role="alert" className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
