import type { ReactNode } from "react";
import type { PlanStep, ReleasePlan } from "@/lib/release/plan/plan";

/**
 * The prompts that include a partial being released (docs/decisions/partial-releases.md), each with what its own rules
 * need of the composed result: its gate run with the candidate partial, the review, the shadow rule. `action`
 * renders the button of a missing step, as for the plan's own steps.
 */
export function PlanDependents({ plan, action }: { plan: ReleasePlan; action?: (step: PlanStep) => ReactNode }) {
  return (
    <ul data-testid="plan-dependents" className="flex flex-col gap-1.5">
      {plan.dependents.map((d) => (
        <li
          key={`${d.environment}/${d.name}`}
          data-dependent={d.name}
          data-met={d.met}
          className="flex flex-col gap-1 rounded border border-slate-200 bg-white px-2 py-1.5"
        >
          <p className="text-slate-900">
            <span aria-hidden="true" className={`mr-1 font-bold ${d.met ? "text-emerald-700" : "text-amber-800"}`}>
              {d.met ? "✓" : "✗"}
            </span>
            <span className="font-medium">{d.name}</span>{" "}
            <span className="text-slate-600">
              (version {d.serves} in {d.environment}
              {d.direct ? "" : ", through another partial"})
            </span>
          </p>
          {d.steps.length ? (
            <ul className="flex flex-col gap-1 pl-4">
              {d.steps.map((s) => (
                <li key={s.id} data-step={s.id} data-met={s.met} className="flex flex-col gap-0.5">
                  <span className={s.met ? "text-emerald-800" : "text-amber-900"}>
                    <span className="sr-only">{s.met ? "Met: " : "Missing: "}</span>
                    {s.met ? "✓ " : "✗ "}
                    {s.title}
                  </span>
                  <span className="break-words text-slate-700">{s.detail}</span>
                  {!s.met && action ? <div>{action(s)}</div> : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="pl-4 text-slate-600">No rule of {d.environment} applies to it.</p>
          )}
        </li>
      ))}
    </ul>
  );
}
