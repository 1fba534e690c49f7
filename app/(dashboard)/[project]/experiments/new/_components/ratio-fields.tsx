"use client";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { MetricOption, RatioRow, SectionProps } from "./form-state";
import { FormError } from "@/components/forms/form-error";

/** Which way is better for a ratio: the numerator's way when it is a known metric (cost per task: lower). */
const goalFor = (numerator: string, metrics: MetricOption[]) =>
  metrics.find((m) => m.name === numerator.trim())?.goal ?? "increase";

/**
 * Secondary ratio metrics (Σ numerator ÷ Σ denominator per arm, e.g. cost per completed task): a row per
 * ratio, metric names typed or picked from the known ones. They are shown beside the results and never decide.
 */
export function RatioFields({ s, set, metrics, readOnly, error }: SectionProps & { metrics: MetricOption[] }) {
  const update = (i: number, p: Partial<RatioRow>) =>
    set({ ratios: s.ratios.map((r, j) => (j === i ? { ...r, ...p } : r)) });
  // An error about the list itself (too many) or a row as a whole shows under the list.
  const rowFieldError = (i: number, f: keyof RatioRow) => error(`ratioMetrics.${i}.${f}`);
  const atRow = s.ratios.some(
    (_, i) => rowFieldError(i, "name") || rowFieldError(i, "numerator") || rowFieldError(i, "denominator"),
  );
  const listError = atRow ? undefined : error("ratioMetrics");
  return (
    <fieldset className="flex flex-col gap-2" aria-describedby="ratios-hint">
      <legend className="text-sm font-medium text-slate-700">Ratio metrics (optional)</legend>
      <datalist id="metric-names">
        {metrics.map((m) => (
          <option key={m.name} value={m.name} />
        ))}
      </datalist>
      {s.ratios.map((r, i) => (
        <div
          key={i}
          className="grid items-end gap-2 sm:grid-cols-[1fr_1fr_1fr_9rem_auto]"
          data-testid={`ratio-row-${i}`}
        >
          <Input
            label="Name"
            id={`ratio-${i}-name`}
            value={r.name}
            readOnly={readOnly}
            placeholder="cost_per_task"
            onValue={(v) => update(i, { name: v })}
            error={rowFieldError(i, "name")}
          />
          <Input
            label="Numerator (Σ)"
            id={`ratio-${i}-numerator`}
            list="metric-names"
            value={r.numerator}
            readOnly={readOnly}
            placeholder="cost_usd"
            onValue={(v) => update(i, { numerator: v, goal: goalFor(v, metrics) })}
            error={rowFieldError(i, "numerator")}
          />
          <Input
            label="Denominator (Σ)"
            id={`ratio-${i}-denominator`}
            list="metric-names"
            value={r.denominator}
            readOnly={readOnly}
            placeholder="completed"
            onValue={(v) => update(i, { denominator: v })}
            error={rowFieldError(i, "denominator")}
          />
          <Select
            label="Better when"
            id={`ratio-${i}-goal`}
            value={r.goal}
            disabled={readOnly}
            onValue={(v) => update(i, { goal: v as RatioRow["goal"] })}
          >
            <option value="decrease">lower</option>
            <option value="increase">higher</option>
          </Select>
          <Button
            type="button"
            variant="ghost"
            size="sm"
            disabled={readOnly}
            aria-label={`Remove ratio ${r.name || i + 1}`}
            onClick={() => set({ ratios: s.ratios.filter((_, j) => j !== i) })}
          >
            Remove
          </Button>
        </div>
      ))}
      <FormError message={listError} className="text-xs text-red-700" />
      <div>
        <Button
          type="button"
          variant="secondary"
          size="sm"
          disabled={readOnly || s.ratios.length >= 10}
          onClick={() => set({ ratios: [...s.ratios, { name: "", numerator: "", denominator: "", goal: "increase" }] })}
        >
          Add ratio metric
        </Button>
      </div>
      <p id="ratios-hint" className="text-xs text-slate-500">
        A total over a total per variant, such as cost per completed task (cost_usd ÷ completed) or output tokens per
        thumbs-up (output_tokens ÷ thumbs), compared per subject. Shown beside the results; they never decide.
      </p>
    </fieldset>
  );
}
