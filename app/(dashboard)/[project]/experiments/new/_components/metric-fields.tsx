"use client";

import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { metricLabel } from "@/components/experiments/experiment-format";
import { CUSTOM, fieldBinder, type FormState, type MetricOption, type SectionProps } from "./form-state";

const source: Record<string, string> = {
  thumbs: "feedback events with value 0 or 1",
  rating: "feedback events with a 1–5 rating",
  completed: "outcome events (task completed or not)",
  latency_ms: "generation events",
  ttft_ms: "generation events",
  input_tokens: "generation events",
  output_tokens: "generation events",
  cost_usd: "generation events",
  refusal: "generation events",
};

/** The primary metric (built in, or a custom metric event by name) and the guardrails. */
export function MetricFields({ s, set, metrics, readOnly, error }: SectionProps & { metrics: MetricOption[] }) {
  const field = fieldBinder({ s, set, readOnly });
  const chosen = metrics.find((m) => m.name === s.primary);
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <div className="flex flex-col gap-3">
        <Select
          label="Primary metric"
          id="primary-metric"
          {...field.choice(s.primary, (v) => set({ primary: v, baselineRate: "", baselineMean: "", baselineSd: "" }))}
          error={s.primary !== CUSTOM ? error("primaryMetric") : undefined}
          hint={
            chosen
              ? `${chosen.kind === "binary" ? "A rate" : "An average"} from ${source[chosen.name] ?? "events"}; ${chosen.goal === "increase" ? "higher" : "lower"} is better.`
              : "Any metric event your application sends, by its name."
          }
        >
          {metrics.map((m) => (
            <option key={m.name} value={m.name}>
              {metricLabel(m.name)} ({m.name})
            </option>
          ))}
          <option value={CUSTOM}>Custom metric…</option>
        </Select>
        {s.primary === CUSTOM ? (
          <div className="grid gap-3 sm:grid-cols-2">
            <Input
              label="Metric name"
              id="custom-metric"
              {...field("customName")}
              placeholder="resolved_first_contact"
              error={
                error("primaryMetric.name") ??
                (error("primaryMetric") && !error("primaryMetric.kind") ? error("primaryMetric") : undefined)
              }
            />
            <Select
              label="Kind"
              id="custom-kind"
              value={s.customKind}
              disabled={readOnly}
              onChange={(e) =>
                set({
                  customKind: e.target.value as FormState["customKind"],
                  baselineRate: "",
                  baselineMean: "",
                  baselineSd: "",
                })
              }
              error={error("primaryMetric.kind")}
            >
              <option value="binary">Yes/no (a rate)</option>
              <option value="continuous">A number (an average)</option>
            </Select>
          </div>
        ) : null}
      </div>
      <fieldset className="flex flex-col gap-1.5" aria-describedby="guardrails-hint">
        <legend className="text-sm font-medium text-slate-700">Guardrails</legend>
        <div className="grid gap-x-4 gap-y-2 sm:grid-cols-2">
          {metrics
            .filter((m) => m.name !== s.primary)
            .map((m) => (
              <label key={m.name} className="flex items-start gap-2 text-sm text-slate-800">
                <input
                  type="checkbox"
                  className="mt-0.5 size-4 shrink-0"
                  disabled={readOnly}
                  checked={s.guardrails.includes(m.name)}
                  onChange={(e) =>
                    set({
                      guardrails: e.target.checked
                        ? [...s.guardrails, m.name]
                        : s.guardrails.filter((g) => g !== m.name),
                    })
                  }
                />
                <span>
                  {metricLabel(m.name)}
                  <span className="block text-xs text-slate-500">
                    must not {m.goal === "decrease" ? "go up" : "go down"}
                  </span>
                </span>
              </label>
            ))}
        </div>
        {error("guardrails") ? (
          <p role="alert" className="text-xs text-red-700">
            {error("guardrails")}
          </p>
        ) : (
          <p id="guardrails-hint" className="text-xs text-slate-500">
            A variant that makes a guardrail significantly worse is never recommended.
          </p>
        )}
      </fieldset>
    </div>
  );
}
