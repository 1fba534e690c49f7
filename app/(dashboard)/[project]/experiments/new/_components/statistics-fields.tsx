"use client";

import { LookbackField } from "./lookback-field";
import { Input } from "@/components/ui/input";
import { fieldBinder, type MetricOption, type SectionProps } from "./form-state";

/** The statistics the plan is computed from: the smallest lift worth detecting, α, power and the baseline. */
export function StatisticsFields({
  s,
  set,
  primary,
  readOnly,
  error: fieldError,
}: SectionProps & { primary: { kind: MetricOption["kind"] } }) {
  const field = fieldBinder({ s, set, readOnly });
  return (
    <div className="grid gap-4 md:grid-cols-3">
      <Input
        label="Smallest lift worth detecting (%)"
        id="experiment-mde"
        type="number"
        step="any"
        {...field("mde")}
        error={fieldError("minDetectableEffect")}
        hint="Relative: 10 means 60% → 66%."
      />
      <Input
        label="Significance level α"
        id="experiment-alpha"
        type="number"
        min={0}
        max={1}
        step="any"
        {...field("alpha")}
        error={fieldError("alpha")}
        hint="Risk of a false alarm; 0.05 is usual."
      />
      <Input
        label="Power (%)"
        id="experiment-power"
        type="number"
        min={1}
        max={99}
        step="any"
        {...field("power")}
        error={fieldError("power")}
        hint="Chance of noticing a real lift of that size."
      />
      <LookbackField s={s} set={set} readOnly={readOnly} error={fieldError} />
      {primary.kind === "binary" ? (
        <Input
          label="Baseline rate (%)"
          id="baseline-rate"
          type="number"
          min={0}
          max={100}
          step="any"
          {...field("baselineRate")}
          error={fieldError("baseline")}
          hint="The control's current rate, if you know it."
        />
      ) : (
        <>
          <Input
            label="Baseline mean"
            id="baseline-mean"
            type="number"
            step="any"
            {...field("baselineMean")}
            error={fieldError("baseline")}
            hint="The control's current average."
          />
          <Input
            label="Baseline standard deviation"
            id="baseline-sd"
            type="number"
            min={0}
            step="any"
            {...field("baselineSd")}
            error={fieldError("baseline.sd")}
            hint="How much it varies between users."
          />
        </>
      )}
    </div>
  );
}
