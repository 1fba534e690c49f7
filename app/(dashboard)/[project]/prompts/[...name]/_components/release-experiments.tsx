"use client";

import { useState, type ReactNode, type RefObject } from "react";
import { can, type Actor } from "@/lib/auth/permissions";
import type { ExperimentAction } from "@/lib/release/composing";
import type { PlanAction, ReleasePlan } from "@/lib/release/plan/plan";
import { Radio } from "@/components/forms/radio";

type Choice = Extract<PlanAction, { kind: "choose_experiment_action" }>;

/** The plan's `experiments` step while it asks (a partial's release changes a running experiment's arms), or null. */
export function composingChoice(plan: ReleasePlan | null | undefined): Choice | null {
  const step = plan?.steps.find((s) => s.id === "experiments" && !s.met);
  return step?.action?.kind === "choose_experiment_action" ? step.action : null;
}

/** Whether `action` answers the step: a stop always does; a new phase unless a guarded rollout is among them. */
export const choiceMeets = (choice: Choice | null, action: ExperimentAction | undefined) =>
  choice !== null && (action === "stop" || (action === "new_phase" && choice.newPhase));

/**
 * The experiments of `choice` that `actor` may neither move to a new phase nor stop (only their creator or an
 * approver may: lib/release/composing.ts), so the dialog says so before anyone clicks.
 */
export const composingNotYours = (choice: Choice | null, actor: Actor) =>
  choice && !can(actor, "experiment.manage")
    ? choice.experiments.filter((e) => actor.type !== "user" || e.owner !== actor.id)
    : [];

/**
 * A release's question about the running experiments its plan changes: the choice (null when the plan does not
 * ask), the person's answer, whether it meets the step, and the field that asks it.
 */
export function useExperimentChoice(
  where: { prompt: string; version?: number; environment: string; actor: Actor },
  plan: ReleasePlan | null | undefined,
) {
  const [action, setAction] = useState<ExperimentAction | undefined>(undefined);
  const choice = composingChoice(plan);
  const chosen = choiceMeets(choice, action);
  const field = (
    <ReleaseExperimentChoice
      choice={choice}
      value={action}
      onChange={setAction}
      prompt={where.prompt}
      version={where.version}
      environment={where.environment}
      actor={where.actor}
    />
  );
  return { choice, action, setAction, chosen, field };
}

/**
 * A partial's release that changes what a running experiment serves: the person chooses what happens to
 * it — a new phase (results read per phase from here) or a stop. A guarded rollout can only be stopped, or the
 * release waits until it ends.
 */
export function ReleaseExperimentChoice({
  choice,
  value,
  onChange,
  prompt,
  version,
  environment,
  fieldRef,
  actor,
}: {
  choice: Choice | null;
  /** Who chooses: a person who may not move an experiment is told whom to ask instead of offered a choice. */
  actor: Actor;
  value: ExperimentAction | undefined;
  onChange: (v: ExperimentAction) => void;
  prompt: string;
  version?: number;
  environment: string;
  fieldRef?: RefObject<HTMLFieldSetElement | null>;
}) {
  if (!choice) return null;
  const names = choice.experiments.map((e) =>
    e.kind === "rollout" ? `the guarded rollout of ${e.prompt}` : `“${e.name}” on ${e.prompt}`,
  );
  const one = choice.experiments.length === 1;
  const notYours = composingNotYours(choice, actor);
  if (notYours.length)
    return (
      <p
        role="note"
        className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950"
        data-testid="experiment-not-yours"
      >
        {names.join(" and ")} {one ? "runs" : "run"} in {environment} and {one ? "includes" : "include"} {prompt}:
        releasing version {version} changes what {one ? "its arms serve" : "their arms serve"} while{" "}
        {one ? "it runs" : "they run"}. Only the person who created {one ? "it" : "them"} or an approver may start a new
        phase or stop {one ? "it" : "them"}: ask them to release this version, or wait until{" "}
        {one ? "it ends" : "they end"}.
      </p>
    );
  return (
    <fieldset
      ref={fieldRef}
      className="flex flex-col gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950"
      data-testid="experiment-choice"
    >
      <legend className="px-1 font-medium">
        {one ? "An experiment" : "Experiments"} would change under {one ? "it" : "them"}
      </legend>
      <p>
        {names.join(" and ")} {one ? "runs" : "run"} in {environment} and {one ? "includes" : "include"} {prompt}:
        releasing version {version} changes what {one ? "its arms serve" : "their arms serve"} while{" "}
        {one ? "it runs" : "they run"}, so results would mix two prompts per arm. Choose what happens:
      </p>
      {choice.newPhase ? (
        <ActionOption action="new_phase" value={value} onChange={onChange}>
          <strong>Start a new phase.</strong> The split stays as it is; results are read per phase from now on, and the
          experiment page marks where and why this phase began.
        </ActionOption>
      ) : null}
      <ActionOption action="stop" value={value} onChange={onChange}>
        <strong>Stop {one ? "it" : "them"}.</strong> Everyone gets what the environment serves; the results so far stay
        readable.
      </ActionOption>
      {!choice.newPhase ? (
        <p className="text-amber-900">
          A guarded rollout cannot begin a new phase: to keep it, cancel and release this version once it has ended.
        </p>
      ) : null}
    </fieldset>
  );
}

/** One answer to "what happens to the experiments". */
function ActionOption({
  action,
  value,
  onChange,
  children,
}: {
  action: ExperimentAction;
  value: ExperimentAction | undefined;
  onChange: (v: ExperimentAction) => void;
  children: ReactNode;
}) {
  return (
    <Radio
      className="flex items-start gap-2"
      boxClassName="mt-0.5 size-4"
      name="experiment-action"
      checked={value === action}
      onChange={() => onChange(action)}
    >
      <span>{children}</span>
    </Radio>
  );
}
