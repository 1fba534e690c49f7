"use client";

import { LookbackField } from "./lookback-field";
import { Input } from "@/components/ui/input";
import type { MetricOption, SectionProps } from "./form-state";

/** The statistics the plan is computed from: the smallest lift worth detecting, α, power and the baseline. */
export function StatisticsFields({
  s,
  set,
  primary,
  readOnly,
  error: fieldError,
}: SectionProps & { primary: { kind: MetricOption["kind"] } }) {
  return (
    <div className="grid gap-4 md:grid-cols-3">
      <Input
        label="Smallest lift worth detecting (%)"
        id="experiment-mde"
        type="number"
        step="any"
        value={s.mde}
        readOnly={readOnly}
        onValue={(v) => set({ mde: v })}
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
        value={s.alpha}
        readOnly={readOnly}
        onValue={(v) => set({ alpha: v })}
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
        value={s.power}
        readOnly={readOnly}
        onValue={(v) => set({ power: v })}
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
          value={s.baselineRate}
          readOnly={readOnly}
          onValue={(v) => set({ baselineRate: v })}
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
            value={s.baselineMean}
            readOnly={readOnly}
            onValue={(v) => set({ baselineMean: v })}
            error={fieldError("baseline")}
            hint="The control's current average."
          />
          <Input
            label="Baseline standard deviation"
            id="baseline-sd"
            type="number"
            min={0}
            step="any"
            value={s.baselineSd}
            readOnly={readOnly}
            onValue={(v) => set({ baselineSd: v })}
            error={fieldError("baseline.sd")}
            hint="How much it varies between users."
          />
        </>
      )}
    </div>
  );
}
