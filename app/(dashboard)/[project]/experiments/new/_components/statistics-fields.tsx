"use client";

import { LookbackField } from "./lookback-field";
import { type MetricOption, type SectionProps } from "./form-state";
import { NumberInputs, type NumberInputSpec } from "./number-inputs";

const tests: NumberInputSpec[] = [
  {
    label: "Smallest lift worth detecting (%)",
    id: "experiment-mde",
    key: "mde",
    error: "minDetectableEffect",
    hint: "Relative: 10 means 60% → 66%.",
  },
  {
    label: "Significance level α",
    id: "experiment-alpha",
    key: "alpha",
    range: { min: 0, max: 1 },
    error: "alpha",
    hint: "Risk of a false alarm; 0.05 is usual.",
  },
  {
    label: "Power (%)",
    id: "experiment-power",
    key: "power",
    range: { min: 1, max: 99 },
    error: "power",
    hint: "Chance of noticing a real lift of that size.",
  },
];

/** The control's baseline: a rate for a binary metric, else a mean and a standard deviation. */
const baselines: Record<"binary" | "other", NumberInputSpec[]> = {
  binary: [
    {
      label: "Baseline rate (%)",
      id: "baseline-rate",
      key: "baselineRate",
      range: { min: 0, max: 100 },
      error: "baseline",
      hint: "The control's current rate, if you know it.",
    },
  ],
  other: [
    {
      label: "Baseline mean",
      id: "baseline-mean",
      key: "baselineMean",
      error: "baseline",
      hint: "The control's current average.",
    },
    {
      label: "Baseline standard deviation",
      id: "baseline-sd",
      key: "baselineSd",
      range: { min: 0 },
      error: "baseline.sd",
      hint: "How much it varies between users.",
    },
  ],
};

/** The statistics the plan is computed from: the smallest lift worth detecting, α, power and the baseline. */
export function StatisticsFields({ primary, ...section }: SectionProps & { primary: { kind: MetricOption["kind"] } }) {
  return (
    <div className="grid gap-4 md:grid-cols-3">
      <NumberInputs specs={tests} {...section} />
      <LookbackField {...section} />
      <NumberInputs specs={baselines[primary.kind === "binary" ? "binary" : "other"]} {...section} />
    </div>
  );
}
