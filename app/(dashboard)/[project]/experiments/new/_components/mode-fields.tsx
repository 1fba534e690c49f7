"use client";

import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { modeHelp, modeLabel } from "@/components/experiments/experiment-format";
import { fieldBinder, type FormState, type SectionProps } from "./form-state";

const modes = ["sequential", "fixed", "bandit"] as const;

/** How the experiment splits traffic: fixed or sequential tests, or a bandit with its algorithm, floor and burn-in. */
export function ModeFields({ s, set, readOnly, error: fieldError }: SectionProps) {
  const field = fieldBinder({ s, set, readOnly });
  return (
    <>
      <fieldset className="flex flex-col gap-2">
        <legend className="text-sm font-medium text-slate-700">Mode</legend>
        <div className="grid gap-2 md:grid-cols-3">
          {modes.map((m) => (
            <label
              key={m}
              className="flex items-start gap-2 rounded-md border border-slate-200 p-3 text-sm has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50"
            >
              <input
                type="radio"
                name="mode"
                value={m}
                checked={s.mode === m}
                disabled={readOnly}
                onChange={() => set({ mode: m })}
                className="mt-0.5 size-4"
              />
              <span>
                <span className="font-medium text-slate-900">
                  {modeLabel[m]}
                  {m === "sequential" ? " (recommended)" : ""}
                </span>
                <span className="block text-xs text-slate-600">{modeHelp[m]}</span>
              </span>
            </label>
          ))}
        </div>
        {fieldError("mode") ? (
          <p role="alert" className="text-xs text-red-700">
            {fieldError("mode")}
          </p>
        ) : null}
      </fieldset>
      {s.mode === "bandit" ? (
        <div className="grid gap-4 md:grid-cols-3">
          <Select
            label="Algorithm"
            id="bandit-algorithm"
            {...field.choice(s.algorithm, (v) => set({ algorithm: v as FormState["algorithm"] }))}
            error={fieldError("bandit.algorithm")}
          >
            <option value="thompson">Thompson sampling</option>
            <option value="ucb1">UCB1</option>
          </Select>
          <Input
            label="Minimum share per variant (%)"
            id="bandit-floor"
            {...field.number("floor", { min: 0, max: 50 })}
            error={fieldError("bandit.floor") ?? fieldError("bandit")}
          />
          <Input
            label="Burn-in (subjects per variant)"
            id="bandit-burn-in"
            {...field.number("burnIn", { min: 1, step: 1 })}
            error={fieldError("bandit.burnIn")}
            hint="Equal split until every variant has this many."
          />
        </div>
      ) : null}
    </>
  );
}
