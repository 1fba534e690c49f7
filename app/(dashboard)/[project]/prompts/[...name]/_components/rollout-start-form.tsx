"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { useField } from "@/components/forms/use-field";
import { useToast } from "@/components/ui/toast";
import { startRolloutAction } from "../_actions";
import { RolloutStartError, startErrorAt, useRolloutConfirms } from "./rollout-start-error";
import { RolloutStepsField, stepEdits, typedSteps } from "@/components/rollouts/rollout-steps-field";
import type { RolloutDefaults } from "./rollout-defaults";
import type { VersionOption } from "./types";
import {
  GuardrailsField,
  NoRolloutTarget,
  RolloutLimitsFields,
  RolloutReasonField,
  RolloutStartActions,
  RolloutStartButton,
  RolloutTargetFields,
} from "./rollout-start-fields";

/** An environment a rollout can start in: something is live there, and no rollout is under way. */
export type RolloutTarget = {
  name: string;
  live: number;
  blocked: string | null;
  /** The environment's own steps (its rule: every release there is a rollout), else null. */
  steps: RolloutDefaults["steps"] | null;
};

/**
 * Starts a guarded rollout: the environment, the version (any but the one live there), the steps, the
 * guardrails and an optional margin. The server checks the release plan, as for a promotion; what it
 * refuses is said here in its words (a plan not met names what is missing).
 */
export function RolloutStartForm({
  slug,
  prompt,
  environments,
  versions,
  defaults,
  blocked,
}: {
  slug: string;
  prompt: string;
  environments: RolloutTarget[];
  versions: VersionOption[];
  defaults: RolloutDefaults;
  blocked: string | null;
}) {
  const router = useRouter();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [chosen, setEnvironment] = useState(environments[0]?.name ?? "");
  // The environment chosen, while it can still take a rollout (the list changes as rollouts start and end).
  const environment = environments.some((e) => e.name === chosen) ? chosen : (environments[0]?.name ?? "");
  const target = environments.find((e) => e.name === environment);
  const choices = versions.filter((v) => v.version !== target?.live);
  const [picked, setPicked] = useState<number | undefined>(undefined);
  // The version picked, while the environment allows it; else the newest one it does.
  const version = choices.some((v) => v.version === picked) ? picked : choices[0]?.version;
  // The steps start as the environment's own (its guarded-rollout rule) or the default, again when it changes.
  const [steps, setSteps] = useState(() => stepEdits(target?.steps ?? defaults.steps));
  const [stepsOf, setStepsOf] = useState(environment);
  if (stepsOf !== environment) {
    setStepsOf(environment);
    setSteps(stepEdits(target?.steps ?? defaults.steps));
  }
  const [guardrails, setGuardrails] = useState(() => defaults.guardrails.filter((g) => g.ticked).map((g) => g.name));
  const margin = useField();
  const minSample = useField(String(defaults.minSamplePerArm));
  const reason = useField();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; code: string; field?: string } | null>(null);
  // Confirmations the plan asked for, for this environment and version only (another pair asks afresh).
  const pair = `${environment}:${version}`;
  const { asked, ticked, ask, tick } = useRolloutConfirms(pair);
  const { errorAt, shownAtField } = startErrorAt(error);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (version === undefined) return;
    setBusy(true);
    setError(null);
    const r = await startRolloutAction(slug, {
      name: prompt,
      environment,
      version,
      steps: typedSteps(steps),
      guardrails,
      margin: margin.value.trim() === "" ? null : Number(margin.value) / 100,
      minSamplePerArm: minSample.value.trim() === "" ? defaults.minSamplePerArm : Number(minSample.value),
      reason: reason.value,
      confirmRolledBack: ticked.includes("confirmRolledBack"),
      confirmBreaking: ticked.includes("confirmBreaking"),
    });
    setBusy(false);
    if (!r.ok) {
      ask(r.field);
      return setError({ message: r.message, code: r.code, field: r.field });
    }
    toast.show(
      `Rollout started: ${r.data.rollout.percent} % of subjects in ${r.data.rollout.environment} get version ${r.data.rollout.version}.`,
    );
    setOpen(false);
    reason.onValue("");
    router.refresh();
  }

  const toggle = (name: string) =>
    setGuardrails((gs) => (gs.includes(name) ? gs.filter((g) => g !== name) : [...gs, name]));
  if (!open)
    return (
      <RolloutStartButton
        blocked={blocked}
        onOpen={() => {
          setError(null);
          setOpen(true);
        }}
      />
    );
  return (
    <form
      onSubmit={(e) => void submit(e)}
      aria-labelledby="rollout-start-title"
      className="flex min-w-0 flex-col gap-3 rounded-md border border-slate-200 p-3"
    >
      <h3 id="rollout-start-title" className="text-sm font-semibold text-slate-900">
        Start guarded rollout
      </h3>
      {environments.length === 0 ? (
        <NoRolloutTarget />
      ) : (
        <>
          <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
            <RolloutTargetFields
              environments={environments}
              environment={environment}
              onEnvironment={setEnvironment}
              target={target}
              choices={choices}
              version={version}
              onVersion={setPicked}
              errorAt={errorAt}
            />
            <RolloutLimitsFields margin={margin} minSample={minSample} errorAt={errorAt} />
          </div>
          <RolloutStepsField steps={steps} onChange={setSteps} error={errorAt("steps")} />
          <GuardrailsField
            guardrails={defaults.guardrails}
            chosen={guardrails}
            onToggle={toggle}
            error={errorAt("guardrails")}
          />
          <RolloutReasonField reason={reason} error={errorAt("reason")} />
        </>
      )}
      <RolloutStartError
        slug={slug}
        prompt={prompt}
        environment={environment}
        version={version}
        error={error && !shownAtField ? error : null}
        asked={asked}
        ticked={ticked}
        onTick={tick}
      />
      <RolloutStartActions
        onCancel={() => setOpen(false)}
        offered={environments.length > 0}
        busy={busy}
        disabled={busy || version === undefined}
        blocked={blocked ?? target?.blocked ?? (guardrails.length ? null : "Tick at least one guardrail.")}
      />
    </form>
  );
}
