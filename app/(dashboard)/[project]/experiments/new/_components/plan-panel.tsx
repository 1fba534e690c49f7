"use client";

import { previewPlan, type PlanInput } from "@/lib/experiments/plan-preview";
import { formatCount, metricLabel } from "@/components/experiments/experiment-format";

/** The live sample-size calculator: what the plan will be, in words, before anything is saved. */
export function PlanPanel({
  input,
  metric,
  mode,
}: {
  input: PlanInput;
  metric: string;
  mode: "fixed" | "sequential" | "bandit";
}) {
  const plan = previewPlan(input);
  const label = metricLabel(metric).toLowerCase();
  return (
    <section
      aria-labelledby="plan-title"
      aria-live="polite"
      className="rounded-lg border border-brand-100 bg-brand-50 p-4"
      data-testid="plan"
    >
      <h2 id="plan-title" className="text-sm font-semibold text-slate-900">
        Sample size
      </h2>
      {plan.ok ? (
        <>
          <p className="mt-1 text-2xl font-semibold text-slate-900">
            {formatCount(plan.perArm)}{" "}
            <span className="text-base font-normal text-slate-700">subjects per variant</span>
          </p>
          <p className="mt-1 text-sm text-slate-700">
            {formatCount(plan.total)} in all
            {plan.traffic > plan.total
              ? `, so about ${formatCount(plan.traffic)} users asking for the prompt at ${Math.round((input.coverage ?? 1) * 100)}% coverage`
              : ""}
            . That is what it takes to notice a {Math.abs(input.minDetectableEffect * 100).toFixed(0)}% change in{" "}
            {label}
            {input.kind === "binary"
              ? ` from ${plan.assumedRate ? "50% (no baseline given)" : `${Math.round((input.baselineRate ?? 0.5) * 1000) / 10}%`}`
              : ""}
            , {Math.round(input.power * 100)} times out of 100, with a {Math.round(input.alpha * 1000) / 10}% risk of a
            false alarm.
          </p>
          <p className="mt-2 text-xs text-slate-600">
            {mode === "fixed"
              ? "Fixed horizon: no result is called before every variant has this many subjects."
              : mode === "sequential"
                ? "Sequential: you may look at any time and stop early when the difference is clear; the plan sets how wide the intervals are at the end."
                : "Bandit: no fixed end; traffic moves to the best variant as evidence grows. The plan is a guide to how long a clear answer takes."}
          </p>
        </>
      ) : (
        <p className="mt-1 text-sm text-slate-700">{plan.message}</p>
      )}
    </section>
  );
}
