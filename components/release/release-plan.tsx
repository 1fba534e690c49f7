import type { ReactNode } from "react";
import type { PlanStep, ReleasePlan } from "@/lib/release/plan/plan";
import { PlanDependents } from "./plan-dependents";

/**
 * A version's release plan for one environment (lib/release/plan/plan.ts): every step the environment's
 * rules ask for, met (✓) or missing (✗) with what to do next, and what the release will also do.
 * `action` renders the button for a missing step (the host knows how to promote, run, request…);
 * `metOverride` marks steps met that the person has met in the dialog itself (a confirmation); `awaiting`
 * marks steps the person's own action will meet (a review being decided: "waiting for your approval"), which are
 * not shown as met before they are.
 */
export function ReleasePlanView({
  plan,
  action,
  metOverride = [],
  title,
  compact = false,
  awaiting = {},
}: {
  plan: ReleasePlan;
  action?: (step: PlanStep) => ReactNode;
  metOverride?: PlanStep["id"][];
  title?: ReactNode;
  compact?: boolean;
  awaiting?: Partial<Record<PlanStep["id"], string>>;
}) {
  // A version the environment serves already has nothing left to do there: its plan says it is live, and lists no
  // rule as "missing" beside that.
  const live = plan.status === "live";
  const steps = live ? [] : plan.steps.map((s) => (metOverride.includes(s.id) ? { ...s, met: true } : s));
  const waits = (s: PlanStep) => !s.met && awaiting[s.id] !== undefined;
  const missing = steps.filter((s) => !s.met && !waits(s)).length;
  const waiting = steps.filter(waits).length;
  const heading = live
    ? `${plan.environment} serves version ${plan.version} now.`
    : !steps.length
      ? `${plan.environment} has no release rules: version ${plan.version} can go live.`
      : missing
        ? `Before ${plan.environment}: ${missing} of ${steps.length} ${steps.length === 1 ? "step" : "steps"} missing`
        : waiting
          ? `Ready for ${plan.environment} once you decide: every other step is met`
          : `Ready for ${plan.environment}: every step is met`;
  return (
    <section
      aria-label={`Release plan of version ${plan.version} for ${plan.environment}`}
      data-testid={`release-plan-${plan.environment}`}
      data-status={live ? "live" : missing ? "blocked" : "ready"}
      className="flex flex-col gap-2"
    >
      {title ? <div className="text-sm font-medium text-slate-900">{title}</div> : null}
      <p className={`text-sm ${missing ? "text-amber-900" : "text-emerald-800"}`}>{heading}</p>
      {steps.length ? (
        <ol className="flex flex-col gap-1.5">
          {steps.map((s) => (
            <li
              key={s.id}
              data-step={s.id}
              data-met={s.met}
              data-waiting={waits(s) || undefined}
              className={`flex min-w-0 gap-2 rounded-md border px-2.5 py-2 text-sm ${s.met ? "border-emerald-200 bg-emerald-50/50" : waits(s) ? "border-slate-300 bg-slate-50" : "border-amber-300 bg-amber-50"}`}
            >
              <span
                aria-hidden="true"
                className={`mt-0.5 font-bold ${s.met ? "text-emerald-700" : waits(s) ? "text-slate-600" : "text-amber-800"}`}
              >
                {s.met ? "✓" : waits(s) ? "…" : "✗"}
              </span>
              <div className="flex min-w-0 flex-1 flex-col gap-1">
                <p className="font-medium text-slate-900">
                  <span className="sr-only">{s.met ? "Met: " : waits(s) ? "Waiting: " : "Missing: "}</span>
                  {s.title}
                </p>
                {waits(s) ? (
                  <p className="break-words text-slate-700">{awaiting[s.id]}</p>
                ) : !compact || !s.met ? (
                  <p className="break-words text-slate-700">{s.detail}</p>
                ) : null}
                {s.evaluation?.judges.length ? <GateJudges judges={s.evaluation.judges} /> : null}
                {s.id === "dependents" ? <PlanDependents plan={plan} action={action} /> : null}
                {!s.met && !waits(s) && action ? <div>{action(s)}</div> : null}
              </div>
            </li>
          ))}
        </ol>
      ) : null}
      {plan.notices.map((n) => (
        <p
          key={n.kind + ("experiment" in n ? n.experiment.id : "")}
          role={n.kind === "stops_experiment" ? "note" : undefined}
          data-testid={`plan-notice-${n.kind}`}
          className="rounded-md bg-slate-100 px-2.5 py-1.5 text-sm text-slate-800"
        >
          {n.message}
        </p>
      ))}
    </section>
  );
}

/** The gate's LLM judges and how far people trust them: a warning informs, it does not block. */
function GateJudges({ judges }: { judges: NonNullable<PlanStep["evaluation"]>["judges"] }) {
  return (
    <ul data-testid="gate-judges" className="flex flex-col gap-0.5 text-xs">
      {judges.map((j) => (
        <li key={j.scorer} className={j.warning ? "text-amber-900" : "text-slate-600"}>
          {j.warning ? "⚠ " : ""}
          {j.sentence}
          {j.source === null && j.labels === 0
            ? " Label the outputs of a run with this judge (Label outputs, on the run's page) or of an online rule running it."
            : ""}
        </li>
      ))}
    </ul>
  );
}
