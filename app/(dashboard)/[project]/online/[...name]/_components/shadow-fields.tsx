"use client";

// The rule form's shadow evaluation part: candidate versions, their share of the sampled outputs, the
// daily caps, and whether a pairwise judge says which answer is better. The domain checks the values
// (lib/evaluation/online/shadow/shadow-config.ts) and names a bad field.
import { useState } from "react";
import { Input } from "@/components/ui/input";
import { Checkbox } from "@/components/forms/checkbox";

export type ShadowValues = {
  versions: unknown[];
  sampleRate: number;
  maxCallsPerDay: number;
  maxCostUsdPerDay: number | null;
  connection: string | null;
  judge: unknown;
} | null;

const pct = (x: number) => Math.round(x * 1000) / 10;
const defaults = { sampleRate: 0.5, maxCallsPerDay: 500, maxCostUsdPerDay: 5, connection: null, judge: null };

/** "4, 5" → [4, 5]; a token that is not a number is sent as written, so the error names it. */
const parseVersions = (text: string) =>
  text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((t) => (/^v?\d+$/i.test(t) ? Number(t.replace(/^v/i, "")) : t));

const pairwiseJudge = (model: string) => ({
  type: "llm_judge",
  name: "preference",
  mode: "pairwise",
  model,
  rubric:
    "Which answer serves the user better: correct, complete, on the point of the request, in the tone the product wants?",
});

export function ShadowFields({
  value,
  onChange,
  error,
  judgeModel,
}: {
  value: ShadowValues;
  onChange: (v: ShadowValues) => void;
  error?: string;
  judgeModel: string | null;
}) {
  const [versionsText, setVersionsText] = useState((value?.versions ?? []).join(", "));
  const on = value !== null;
  const set = (patch: Partial<NonNullable<ShadowValues>>) =>
    onChange({ ...defaults, versions: parseVersions(versionsText), ...value, ...patch });
  return (
    <fieldset className="rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-medium text-slate-700">Shadow evaluation</legend>
      <Checkbox
        className="flex items-center gap-2 text-sm"
        checked={on}
        aria-describedby="shadow-hint"
        onCheck={(checked) => (checked ? set({}) : onChange(null))}
      >
        Let candidate versions answer sampled live inputs, off the user&apos;s path
      </Checkbox>
      <p id="shadow-hint" className="mt-1 text-xs text-slate-600">
        No user sees their answers. Each candidate is called with the live output&apos;s variables, scored by the
        scorers above, and compared with the live answer to the same input. Every call counts against the daily caps.
      </p>
      {on ? (
        <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2">
          <Input
            label="Candidate versions"
            id="shadow-versions"
            value={versionsText}
            placeholder="e.g. 4, 5"
            onChange={(e) => {
              setVersionsText(e.target.value);
              set({ versions: parseVersions(e.target.value) });
            }}
            hint="Versions of this prompt, separated by commas (at most 5)."
          />
          <Input
            label="Share of sampled outputs (%)"
            id="shadow-rate"
            type="number"
            min={0}
            max={100}
            step="any"
            value={pct(value.sampleRate)}
            onValue={(v) => set({ sampleRate: Number(v) / 100 })}
          />
          <Input
            label="Model calls per day"
            id="shadow-calls"
            type="number"
            min={1}
            value={value.maxCallsPerDay}
            onValue={(v) => set({ maxCallsPerDay: Number(v) })}
            hint="The candidates' answers and their judges; at the cap, answers stop until the next day (UTC)."
          />
          <Input
            label="Cost per day ($)"
            id="shadow-cost"
            type="number"
            min={0}
            step="any"
            value={value.maxCostUsdPerDay ?? ""}
            placeholder="no cost cap"
            onValue={(v) => set({ maxCostUsdPerDay: v === "" ? null : Number(v) })}
            hint="Counted where the model has a known price."
          />
          <Checkbox
            className="flex items-center gap-2 text-sm sm:col-span-2"
            checked={value.judge !== null}
            onCheck={(checked) => set({ judge: checked ? pairwiseJudge(judgeModel ?? "gpt-4o-mini") : null })}
          >
            Ask a judge ({judgeModel ?? "gpt-4o-mini"}) which answer is better, in both orders (a changed verdict is a
            tie)
          </Checkbox>
        </div>
      ) : null}
      {error ? (
        <p className="mt-2 text-sm text-red-800" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
