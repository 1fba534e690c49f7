"use client";

import type { GuardedRolloutRule } from "@/lib/release/rollout-rule";

type Step = { percent: number; minMinutes: number; minSubjects: number };

/** Releasing needs a shadow comparison with no significant loss over this many live inputs; empty: no rule. */
export function ShadowRuleInput({
  id,
  value,
  onChange,
}: {
  id: string;
  value: { minInputs: number } | null | undefined;
  onChange: (next: { minInputs: number } | null) => void;
}) {
  return (
    <label className="flex items-center gap-2" htmlFor={`${id}-shadow`}>
      Shadow comparison with no significant loss, over
      <input
        id={`${id}-shadow`}
        type="number"
        min={5}
        value={value?.minInputs ?? ""}
        placeholder="(no rule)"
        onChange={(e) => onChange(e.target.value ? { minInputs: Number(e.target.value) } : null)}
        className="w-24 rounded-md border border-slate-300 px-2 py-1"
      />
      live inputs
    </label>
  );
}

/** The environment's guarded-rollout rule: on (every release ramps by steps) or off, and its traffic steps. */
export function RolloutRuleInput({
  id,
  value,
  onChange,
}: {
  id: string;
  value: GuardedRolloutRule | null | undefined;
  onChange: (next: GuardedRolloutRule | null) => void;
}) {
  const steps = value?.steps ?? null;
  return (
    <>
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          className="size-4"
          checked={Boolean(value)}
          onChange={(e) => onChange(e.target.checked ? { steps } : null)}
        />
        Every release is a guarded rollout
      </label>
      {value ? (
        <label className="flex items-center gap-2" htmlFor={`${id}-rollout-steps`}>
          Steps (%)
          <input
            id={`${id}-rollout-steps`}
            defaultValue={steps ? steps.map((s) => s.percent).join(", ") : ""}
            placeholder="5, 25, 50, 100"
            onBlur={(e) => onChange({ steps: parseSteps(e.target.value, steps) })}
            className="w-36 rounded-md border border-slate-300 px-2 py-1"
          />
        </label>
      ) : null}
    </>
  );
}

/**
 * "10, 50, 100" → steps, each keeping the minimums of the step it replaces (else 60 minutes and 100 subjects; the
 * last one none); empty: the rollouts' default steps. What the server refuses (not growing, not ending at 100) it
 * names on save.
 */
function parseSteps(text: string, before: Step[] | null): Step[] | null {
  const percents = text
    .split(/[,\s]+/)
    .filter(Boolean)
    .map(Number);
  if (!percents.length) return null;
  return percents.map((percent, i) => {
    const last = i === percents.length - 1;
    const old = before?.[i];
    return {
      percent,
      minMinutes: last ? 0 : (old?.minMinutes ?? 60),
      minSubjects: last ? 0 : (old?.minSubjects ?? 100),
    };
  });
}
