"use client";

import { useState } from "react";
import { Radio } from "@/components/forms/radio";

export type ExperimentAction = "new_phase" | "stop";

/** What a refusal asks (409 experiment_running): its words without the API's hint, and whether a new phase is offered. */
export type ExperimentAsk = { message: string; newPhase: boolean };

/**
 * Whether a refused move (completing a guarded rollout, shipping an experiment's variant) asks what happens to the
 * experiments its release changes: a partial's release under experiments on prompts that include it.
 */
export function experimentAsk(r: { code: string; message: string }): ExperimentAsk | null {
  if (r.code !== "experiment_running") return null;
  const rollout = /A guarded rollout cannot begin a new phase/.test(r.message);
  // What it says before it tells the API what to send (the release's words or its plan's: lib/release).
  const said = r.message.split(
    / (?:Choose what happens|A guarded rollout cannot|Start a new phase \(|The API takes)/,
  )[0]!;
  return { message: said.replace(/[.:]$/, ""), newPhase: !rollout };
}

/**
 * That question in a form: what a refusal asked (null until one does), the person's answer, what the next try sends
 * (the answer, once asked), `reset` (another decision asks afresh) and `heard`, which says whether a refusal asked
 * (and then shows the question, a stop chosen when it is the only answer).
 */
export function useExperimentAsk() {
  const [asked, setAsked] = useState<ExperimentAsk | null>(null);
  const [action, setAction] = useState<ExperimentAction | undefined>(undefined);
  const send: { experimentAction?: ExperimentAction } = asked && action ? { experimentAction: action } : {};
  function reset() {
    setAsked(null);
    setAction(undefined);
  }
  function heard(refusal: { code: string; message: string } | null) {
    const ask = refusal ? experimentAsk(refusal) : null;
    if (!ask) return false;
    setAsked(ask);
    if (!ask.newPhase) setAction("stop");
    return true;
  }
  return { asked, action, setAction, send, reset, heard };
}

/** The person's answer to that question, asked in the form that was refused; a stop is the only one for a rollout. */
export function ExperimentActionChoice({
  ask,
  name,
  value,
  onChange,
}: {
  ask: ExperimentAsk;
  /** The radio group's name, unique on the page. */
  name: string;
  value: ExperimentAction | undefined;
  onChange: (v: ExperimentAction) => void;
}) {
  const options: [ExperimentAction, string, string][] = [
    ["new_phase", "Start a new phase.", "Its split stays as it is; its results are read per phase from now on."],
    ["stop", "Stop it.", "Everyone gets what the environment serves; its results so far stay readable."],
  ];
  return (
    <fieldset
      className="flex flex-col gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950"
      data-testid="experiment-choice"
    >
      <legend className="px-1 font-medium">An experiment would change under it</legend>
      <p>{ask.message}. Choose what happens to it:</p>
      {options
        .filter(([action]) => action === "stop" || ask.newPhase)
        .map(([action, title, says]) => (
          <Radio
            key={action}
            className="flex items-start gap-2"
            boxClassName="mt-0.5 size-4"
            name={name}
            checked={value === action}
            onChange={() => onChange(action)}
          >
            <span>
              <strong>{title}</strong> {says}
            </span>
          </Radio>
        ))}
      {!ask.newPhase ? (
        <p className="text-amber-900">
          A guarded rollout cannot begin a new phase: to keep it, cancel and wait until it ends.
        </p>
      ) : null}
    </fieldset>
  );
}
