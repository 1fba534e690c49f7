"use client";

import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Checkbox } from "@/components/forms/checkbox";
import type { RuleValues } from "./rule-form";

const pct = (x: number) => Math.round(x * 1000) / 10;

/** A part of the rule: its values, how one is set, and the refusal that names a field of it. */
export type RuleFieldsProps = {
  v: RuleValues;
  set: <K extends keyof RuleValues>(k: K, value: RuleValues[K]) => void;
  fieldError: (prefix: string) => string | undefined;
};

/** The sampling inputs: each one's field, label, id, range and hint; a `percent` field shows a share as a percentage. */
const sampling: {
  key: "sampleRate" | "window" | "minSamples";
  label: string;
  id: string;
  range: { min: number; max?: number; step?: "any" };
  percent?: boolean;
  hint: string;
}[] = [
  {
    key: "sampleRate",
    label: "Sample rate (%)",
    id: "rule-sample-rate",
    range: { min: 0, max: 100, step: "any" },
    percent: true,
    hint: "Share of generations with an output that are scored. The same event is always in or out.",
  },
  {
    key: "window",
    label: "Window",
    id: "rule-window",
    range: { min: 10, max: 100000 },
    hint: "The last N scored outputs of each version are compared.",
  },
  {
    key: "minSamples",
    label: "Minimum samples",
    id: "rule-min-samples",
    range: { min: 2 },
    hint: "No verdict until both versions have this many.",
  },
];

/** What is scored and how much of it: the sample rate, the window compared and the samples a verdict needs. */
export function SamplingFields({ v, set, fieldError }: RuleFieldsProps) {
  return (
    <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
      {sampling.map(({ key, percent = false, range, ...f }) => (
        <Input
          key={key}
          {...f}
          type="number"
          {...range}
          value={percent ? pct(v[key]) : v[key]}
          onValue={(x) => set(key, percent ? Number(x) / 100 : Number(x))}
          error={fieldError(key)}
        />
      ))}
    </div>
  );
}

/** The application's own signals the rule reads beside the scorers. */
export function SignalsField({ v, set, fieldError }: RuleFieldsProps) {
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-700">Signals from your application</legend>
      <div className="mt-1 flex flex-wrap gap-4 text-sm">
        {[
          ["feedback", "Feedback (thumbs, 1–5 ratings)"],
          ["outcome", "Outcomes (completed, named outcomes)"],
        ].map(([key, label]) => (
          <label key={key} className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={v.signals.includes(key!)}
              onChange={() =>
                set("signals", v.signals.includes(key!) ? v.signals.filter((s) => s !== key) : [...v.signals, key!])
              }
            />
            {label}
          </label>
        ))}
      </div>
      {fieldError("signals") ? <p className="mt-1 text-sm text-red-800">{fieldError("signals")}</p> : null}
    </fieldset>
  );
}

/** When a drop is an alert: the significance and the drop in points. */
export function AlertFields({ v, set, fieldError }: RuleFieldsProps) {
  return (
    <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
      <Select
        label="Significance (α)"
        id="rule-alpha"
        value={String(v.alpha)}
        onValue={(v) => set("alpha", Number(v))}
        error={fieldError("alpha")}
        hint="The risk of a false alarm when nothing changed. 0.05 is usual; lower means fewer false alarms, later alerts."
        options={[0.01, 0.05, 0.1].map((a) => ({
          value: String(a),
          label: `${a} (${Math.round((1 - a) * 100)}% confidence)`,
        }))}
      />
      <Input
        label="Alert when a metric drops by (points)"
        id="rule-alert-drop"
        type="number"
        min={0}
        max={100}
        step="any"
        value={v.alert ? pct(v.alert.maxDrop) : ""}
        placeholder="no alerts"
        onValue={(v) => set("alert", v === "" ? null : { maxDrop: Number(v) / 100 })}
        error={fieldError("alert")}
        hint="On the 0–100% scale every metric is put on; significance is required too."
      />
      <div />
    </div>
  );
}

/** Rolling back by itself to the last known-good version, past a threshold, at most once per cooldown. */
export function RollbackFields({ v, set, fieldError }: RuleFieldsProps) {
  return (
    <fieldset className="rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-medium text-slate-700">Automatic rollback</legend>
      <Checkbox
        className="flex items-center gap-2 text-sm"
        checked={v.rollback.enabled}
        onCheck={(checked) => set("rollback", { ...v.rollback, enabled: checked })}
      >
        Roll back to the last known-good version when a metric drops past the threshold
      </Checkbox>
      <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2">
        <Input
          label="Roll back when a metric drops by (points)"
          id="rule-rollback-drop"
          type="number"
          min={0}
          max={100}
          step="any"
          value={pct(v.rollback.maxDrop)}
          onValue={(value) => set("rollback", { ...v.rollback, maxDrop: Number(value) / 100 })}
          error={fieldError("rollback")}
          disabled={!v.rollback.enabled}
        />
        <Input
          label="Cooldown (minutes)"
          id="rule-cooldown"
          type="number"
          min={0}
          max={10080}
          value={v.rollback.cooldownMinutes}
          onValue={(value) => set("rollback", { ...v.rollback, cooldownMinutes: Number(value) })}
          disabled={!v.rollback.enabled}
          hint="At most one automatic rollback per cooldown; a version rolled back is never brought back automatically."
        />
      </div>
    </fieldset>
  );
}
