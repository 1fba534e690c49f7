"use client";

import { statusLabel } from "@/components/release/release-badges";
import { Button } from "@/components/ui/button";
import { GatedButton } from "@/components/ui/gated-button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { Checkbox } from "@/components/forms/checkbox";
import { FormError } from "@/components/forms/form-error";
import type { Field } from "@/components/forms/use-field";
import type { RolloutDefaults } from "./rollout-defaults";
import type { RolloutTarget } from "./rollout-start-form";
import type { VersionOption } from "./types";

type ErrorAt = (field: string) => string | undefined;

/** The closed form: its one button. */
export function RolloutStartButton({ blocked, onOpen }: { blocked: string | null; onOpen: () => void }) {
  return (
    <div>
      <GatedButton size="sm" blockedReason={blocked} onClick={onOpen} aria-expanded={false}>
        Start guarded rollout…
      </GatedButton>
    </div>
  );
}

/** Where the rollout runs and which version it grows: any but the one live there. */
export function RolloutTargetFields({
  environments,
  environment,
  onEnvironment,
  target,
  choices,
  version,
  onVersion,
  errorAt,
}: {
  environments: RolloutTarget[];
  environment: string;
  onEnvironment: (name: string) => void;
  target: RolloutTarget | undefined;
  choices: VersionOption[];
  version: number | undefined;
  onVersion: (version: number) => void;
  errorAt: ErrorAt;
}) {
  return (
    <>
      <Select
        label="Rollout environment"
        id="rollout-environment"
        name="environment"
        value={environment}
        onValue={onEnvironment}
        error={errorAt("environment")}
        hint={target ? `Serves version ${target.live} now.` : undefined}
        options={environments.map((e) => e.name)}
      />
      <Select
        label="Version to roll out"
        id="rollout-version"
        name="version"
        value={version ?? ""}
        onValue={(v) => onVersion(Number(v))}
        error={errorAt("version")}
        hint={choices.length ? undefined : "No other version to roll out."}
        options={choices.map((v) => ({
          value: String(v.version),
          label: `v${v.version} · ${statusLabel(v.status, v.liveIn)}`,
        }))}
      />
    </>
  );
}

/** The optional margin and the subjects each version needs before a step. */
export function RolloutLimitsFields({
  margin,
  minSample,
  errorAt,
}: {
  margin: Field;
  minSample: Field;
  errorAt: ErrorAt;
}) {
  return (
    <>
      <Input
        label="Margin (%)"
        id="rollout-margin"
        name="margin"
        type="number"
        inputMode="decimal"
        min={0}
        max={100}
        step="any"
        placeholder="none"
        {...margin}
        error={errorAt("margin")}
        hint="Optional: a step advances only once every guardrail rules out a harm above this, and rolls back at once when one shows more."
      />
      <Input
        label="Min. subjects per version"
        id="rollout-min-sample"
        name="minSamplePerArm"
        type="number"
        inputMode="numeric"
        min={1}
        step={1}
        {...minSample}
        error={errorAt("minSamplePerArm")}
        hint="Each guardrail with data needs this many subjects on each version before a step: fewer is too few to tell."
      />
    </>
  );
}

/** The metrics watched at every step, ticked by name. */
export function GuardrailsField({
  guardrails,
  chosen,
  onToggle,
  error,
}: {
  guardrails: RolloutDefaults["guardrails"];
  chosen: string[];
  onToggle: (name: string) => void;
  error: string | undefined;
}) {
  return (
    <fieldset className="min-w-0" aria-describedby={error ? "rollout-guardrails-error" : undefined}>
      <legend className="text-sm font-medium text-slate-700">Guardrails</legend>
      <p className="text-xs text-slate-600">
        Metrics watched at every step: one significantly worse on the new version rolls it back.
      </p>
      <div className="mt-1 grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-3">
        {guardrails.map((g) => (
          <Checkbox
            key={g.name}
            className="flex items-center gap-2 text-sm text-slate-800"
            boxClassName="size-4"
            name="guardrails"
            value={g.name}
            checked={chosen.includes(g.name)}
            onCheck={() => onToggle(g.name)}
          >
            <span>
              {g.label} <span className="text-xs text-slate-600">({g.worse})</span>
            </span>
          </Checkbox>
        ))}
      </div>
      <FormError id="rollout-guardrails-error" message={error} className="mt-1 text-xs text-red-700" />
    </fieldset>
  );
}

/** Cancel, and the button that starts the rollout when some environment can take one. */
export function RolloutStartActions({
  onCancel,
  offered,
  busy,
  disabled,
  blocked,
}: {
  onCancel: () => void;
  offered: boolean;
  busy: boolean;
  disabled: boolean;
  blocked: string | null;
}) {
  return (
    <div className="flex flex-wrap justify-end gap-2">
      <Button type="button" variant="secondary" size="sm" onClick={onCancel}>
        Cancel
      </Button>
      {offered ? (
        <GatedButton type="submit" size="sm" disabled={disabled} blockedReason={blocked}>
          {busy ? "Starting…" : "Start rollout"}
        </GatedButton>
      ) : null}
    </div>
  );
}

/** Why no environment is offered. */
export function NoRolloutTarget() {
  return (
    <p className="text-sm text-slate-600">
      No environment can take a rollout now: a rollout grows a new version beside a live one, so promote a version
      first, and one rollout runs per environment at a time.
    </p>
  );
}

/** Why the rollout starts, kept in the decision log. */
export function RolloutReasonField({ reason, error }: { reason: Field; error: string | undefined }) {
  return (
    <Textarea
      label="Reason (optional, kept in the decision log)"
      id="rollout-start-reason"
      name="reason"
      rows={2}
      maxLength={2000}
      {...reason}
      error={error}
      placeholder="e.g. shorter answers; watch refusals"
    />
  );
}
