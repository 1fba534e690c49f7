"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { statusLabel } from "@/components/release/badges";
import { Button } from "@/components/ui/button";
import { GatedButton } from "@/components/ui/gated-button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { useToast } from "@/components/ui/toast";
import { startRolloutAction } from "../_actions";
import { RolloutStartError, rolloutConfirms, type RolloutConfirm } from "./rollout-start-error";
import { RolloutStepsField, stepDrafts as drafts, typedSteps } from "@/components/rollouts/rollout-steps-field";
import type { RolloutDefaults } from "./rollout-defaults";
import type { VersionOption } from "./types";
import { Checkbox } from "@/components/forms/checkbox";
import { FormError } from "@/components/forms/form-error";

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
  const [steps, setSteps] = useState(() => drafts(target?.steps ?? defaults.steps));
  const [stepsOf, setStepsOf] = useState(environment);
  if (stepsOf !== environment) {
    setStepsOf(environment);
    setSteps(drafts(target?.steps ?? defaults.steps));
  }
  const [guardrails, setGuardrails] = useState(() => defaults.guardrails.filter((g) => g.ticked).map((g) => g.name));
  const [margin, setMargin] = useState("");
  const [minSample, setMinSample] = useState(String(defaults.minSamplePerArm));
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; code: string; field?: string } | null>(null);
  // Confirmations the plan asked for, for this environment and version only (another pair asks afresh).
  const pair = `${environment}:${version}`;
  const [confirms, setConfirms] = useState<{ pair: string; asked: RolloutConfirm[]; ticked: RolloutConfirm[] }>({
    pair: "",
    asked: [],
    ticked: [],
  });
  const none: RolloutConfirm[] = [];
  const { asked, ticked } = confirms.pair === pair ? confirms : { asked: none, ticked: none };
  const at = error?.field?.split(".")[0];
  const errorAt = (field: string) => (error && at === field ? error.message : undefined);
  const shownAtField =
    at !== undefined &&
    ["environment", "version", "steps", "guardrails", "margin", "minSamplePerArm", "reason"].includes(at);

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
      margin: margin.trim() === "" ? null : Number(margin) / 100,
      minSamplePerArm: minSample.trim() === "" ? defaults.minSamplePerArm : Number(minSample),
      reason,
      confirmRolledBack: ticked.includes("confirmRolledBack"),
      confirmBreaking: ticked.includes("confirmBreaking"),
    });
    setBusy(false);
    if (!r.ok) {
      const confirm = r.field && rolloutConfirms.includes(r.field) ? (r.field as RolloutConfirm) : null;
      if (confirm && !asked.includes(confirm)) setConfirms({ pair, asked: [...asked, confirm], ticked });
      return setError({ message: r.message, code: r.code, field: r.field });
    }
    toast.show(
      `Rollout started: ${r.data.percent} % of subjects in ${r.data.environment} get version ${r.data.version}.`,
    );
    setOpen(false);
    setReason("");
    router.refresh();
  }

  const toggle = (name: string) =>
    setGuardrails((gs) => (gs.includes(name) ? gs.filter((g) => g !== name) : [...gs, name]));
  if (!open)
    return (
      <div>
        <GatedButton
          size="sm"
          blockedReason={blocked}
          onClick={() => {
            setError(null);
            setOpen(true);
          }}
          aria-expanded={false}
        >
          Start guarded rollout…
        </GatedButton>
      </div>
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
        <p className="text-sm text-slate-600">
          No environment can take a rollout now: a rollout grows a new version beside a live one, so promote a version
          first, and one rollout runs per environment at a time.
        </p>
      ) : (
        <>
          <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
            <Select
              label="Rollout environment"
              id="rollout-environment"
              name="environment"
              value={environment}
              onValue={setEnvironment}
              error={errorAt("environment")}
              hint={target ? `Serves version ${target.live} now.` : undefined}
              options={environments.map((e) => e.name)}
            />
            <Select
              label="Version to roll out"
              id="rollout-version"
              name="version"
              value={version ?? ""}
              onValue={(v) => setPicked(Number(v))}
              error={errorAt("version")}
              hint={choices.length ? undefined : "No other version to roll out."}
              options={choices.map((v) => ({
                value: String(v.version),
                label: `v${v.version} · ${statusLabel(v.status, v.liveIn)}`,
              }))}
            />
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
              value={margin}
              onValue={setMargin}
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
              value={minSample}
              onValue={setMinSample}
              error={errorAt("minSamplePerArm")}
              hint="Each guardrail with data needs this many subjects on each version before a step: fewer is too few to tell."
            />
          </div>
          <RolloutStepsField steps={steps} onChange={setSteps} error={errorAt("steps")} />
          <fieldset
            className="min-w-0"
            aria-describedby={errorAt("guardrails") ? "rollout-guardrails-error" : undefined}
          >
            <legend className="text-sm font-medium text-slate-700">Guardrails</legend>
            <p className="text-xs text-slate-600">
              Metrics watched at every step: one significantly worse on the new version rolls it back.
            </p>
            <div className="mt-1 grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-3">
              {defaults.guardrails.map((g) => (
                <Checkbox
                  key={g.name}
                  className="flex items-center gap-2 text-sm text-slate-800"
                  boxClassName="size-4"
                  name="guardrails"
                  value={g.name}
                  checked={guardrails.includes(g.name)}
                  onCheck={() => toggle(g.name)}
                >
                  <span>
                    {g.label} <span className="text-xs text-slate-600">({g.worse})</span>
                  </span>
                </Checkbox>
              ))}
            </div>
            <FormError
              id="rollout-guardrails-error"
              message={errorAt("guardrails")}
              className="mt-1 text-xs text-red-700"
            />
          </fieldset>
          <Textarea
            label="Reason (optional, kept in the decision log)"
            id="rollout-start-reason"
            name="reason"
            rows={2}
            maxLength={2000}
            value={reason}
            onValue={setReason}
            error={errorAt("reason")}
            placeholder="e.g. shorter answers; watch refusals"
          />
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
        onTick={(c, on) => setConfirms({ pair, asked, ticked: on ? [...ticked, c] : ticked.filter((t) => t !== c) })}
      />
      <div className="flex flex-wrap justify-end gap-2">
        <Button type="button" variant="secondary" size="sm" onClick={() => setOpen(false)}>
          Cancel
        </Button>
        {environments.length ? (
          <GatedButton
            type="submit"
            size="sm"
            disabled={busy || version === undefined}
            blockedReason={blocked ?? target?.blocked ?? (guardrails.length ? null : "Tick at least one guardrail.")}
          >
            {busy ? "Starting…" : "Start rollout"}
          </GatedButton>
        ) : null}
      </div>
    </form>
  );
}
