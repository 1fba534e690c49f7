"use client";

import type { GuardedRolloutRule } from "@/lib/release/rollout-rule";
import { RolloutRuleInput, ShadowRuleInput } from "./rule-inputs";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { GatedButton } from "@/components/ui/gated-button";
import { Input } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { envTone } from "@/components/release/release-badges";
import { Badge } from "@/components/ui/badge";
import type { UncheckedSpec } from "@/lib/scorers/form";
import { createEnvironmentAction, updateEnvironmentAction } from "../_actions";
import { GateFields, type GateChoice } from "./gate-fields";
import { GateRuleInputs } from "./gate-rule-inputs";

export type EvaluationGate = {
  dataset: string;
  minScore: number;
  maxDrop: number;
  /** Pinned dataset version, or null: the dataset's current items. */
  datasetVersion: number | null;
  scorers: UncheckedSpec[];
  /** threshold: minimum score and maximum drop; paired: no gate scorer significantly worse than live; both. */
  mode: "threshold" | "paired" | "both";
};
export type EnvRules = {
  name: string;
  protected: boolean;
  requiresReview: boolean;
  requiresLiveIn: string | null;
  evaluationGate: EvaluationGate | null;
  autoPromote: { minScore: number } | null;
  requiresShadow?: { minInputs: number } | null;
  guardedRollout?: GuardedRolloutRule | null;
};

/** The rules that are on or off, each a checkbox. */
const switches = [
  ["protected", "Protected (approvers and admins deploy)"],
  ["requiresReview", "Requires an approved review"],
] as const;

const originNote: Record<string, string> = {
  "langfuse-api": "Created for a label a Langfuse client set",
  "langfuse-import": "Created for a label met by the Langfuse import",
};

/** The rules with the gate's dataset set (a new gate starts from defaults) or, when empty, with no gate. */
function withGateDataset(rules: EnvRules, env: EnvRules, dataset: string): EnvRules {
  return {
    ...rules,
    // A pin names a version of the old dataset: another dataset starts from its current items.
    evaluationGate: dataset
      ? {
          minScore: 0.8,
          maxDrop: 0.05,
          mode: "threshold",
          scorers: [{ type: "length", min: 1, name: "non_empty" }],
          ...rules.evaluationGate,
          dataset,
          datasetVersion: dataset === env.evaluationGate?.dataset ? env.evaluationGate.datasetVersion : null,
        }
      : null,
    autoPromote: dataset ? rules.autoPromote : null,
  };
}

function RulesForm({
  slug,
  env,
  others,
  blocked,
  origin,
  gateChoices,
  connections,
  judgeModel,
}: {
  slug: string;
  env: EnvRules;
  others: string[];
  blocked: string | null;
  origin?: string;
  gateChoices: Record<string, GateChoice>;
  connections: Array<{ id: string; name: string }>;
  judgeModel: string | undefined;
}) {
  const router = useRouter();
  const toast = useToast();
  const [rules, setRules] = useState(env);
  // The rules as the server last sent them, and what this form last saved: when the server's rules change
  // (after a save here, or another admin's), the form takes them unless the user has edits not yet saved.
  const [known, setKnown] = useState(env);
  const [saved, setSaved] = useState<EnvRules | null>(null);
  if (JSON.stringify(env) !== JSON.stringify(known)) {
    const same = (a: EnvRules | null) => a !== null && JSON.stringify(a) === JSON.stringify(rules);
    if (same(known) || same(saved)) setRules(env);
    setKnown(env);
    setSaved(null);
  }
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [jsonError, setJsonError] = useState<string | null>(null);
  const changed = JSON.stringify(rules) !== JSON.stringify(env);
  const id = `env-${env.name}`;
  async function save() {
    if (jsonError) return toast.show(`Fix the gate scorers' JSON first: ${jsonError}`, "error");
    setBusy(true);
    setError(null);
    const r = await updateEnvironmentAction(slug, rules);
    setBusy(false);
    if (!r.ok) {
      setError({ field: r.field, message: r.message });
      return toast.show(r.message, "error");
    }
    setSaved(rules);
    toast.show(`Saved the rules of ${env.name}.`);
    router.refresh();
  }
  const disabled = Boolean(blocked);
  return (
    <li className="grid grid-cols-1 gap-3 rounded-md border border-slate-200 p-4 md:grid-cols-[10rem_1fr_auto] md:items-center">
      <div>
        <Badge tone={envTone(env.name)}>{env.name}</Badge>
        {origin ? <p className="mt-1 text-xs text-slate-600">{originNote[origin] ?? origin}</p> : null}
      </div>
      <fieldset className="flex flex-wrap items-center gap-x-5 gap-y-2 text-sm" disabled={disabled}>
        <legend className="sr-only">Rules for {env.name}</legend>
        {switches.map(([rule, text]) => (
          <label key={rule} className="flex items-center gap-2">
            <input
              type="checkbox"
              className="size-4"
              checked={rules[rule]}
              onChange={(e) => setRules({ ...rules, [rule]: e.target.checked })}
            />
            {text}
          </label>
        ))}
        <label className="flex items-center gap-2" htmlFor={`${id}-livein`}>
          Must first be live in
          <select
            id={`${id}-livein`}
            value={rules.requiresLiveIn ?? ""}
            onChange={(e) => setRules({ ...rules, requiresLiveIn: e.target.value || null })}
            className="rounded-md border border-slate-300 bg-white px-2 py-1"
          >
            <option value="">(no rule)</option>
            {others.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2" htmlFor={`${id}-gate`}>
          Evaluation gate dataset
          <input
            id={`${id}-gate`}
            list="gate-datasets"
            value={rules.evaluationGate?.dataset ?? ""}
            placeholder="(no gate)"
            onChange={(e) => setRules(withGateDataset(rules, env, e.target.value))}
            className="w-40 rounded-md border border-slate-300 px-2 py-1"
          />
        </label>
        {rules.evaluationGate ? <GateRuleInputs id={id} rules={rules} setRules={setRules} /> : null}
        <ShadowRuleInput
          id={id}
          value={rules.requiresShadow}
          onChange={(r) => setRules({ ...rules, requiresShadow: r })}
        />
        <RolloutRuleInput
          id={id}
          value={rules.guardedRollout}
          onChange={(g) => setRules({ ...rules, guardedRollout: g })}
        />
      </fieldset>
      <GatedButton
        size="sm"
        variant="secondary"
        disabled={busy || !changed}
        blockedReason={blocked}
        onClick={() => void save()}
      >
        Save rules
      </GatedButton>
      {rules.evaluationGate ? (
        <fieldset disabled={disabled} className="contents">
          <GateFields
            slug={slug}
            id={id}
            environment={env.name}
            dataset={rules.evaluationGate.dataset}
            datasetVersion={rules.evaluationGate.datasetVersion}
            scorers={rules.evaluationGate.scorers}
            onChange={(patch) => setRules({ ...rules, evaluationGate: { ...rules.evaluationGate!, ...patch } })}
            choice={gateChoices[rules.evaluationGate.dataset]}
            connections={connections}
            judgeModel={judgeModel}
            error={error}
            onJsonError={setJsonError}
          />
        </fieldset>
      ) : null}
    </li>
  );
}

/** Environments and their protection and promotion rules. */
export function EnvironmentsPanel({
  slug,
  environments,
  blocked,
  datasets = [],
  origins = {},
  gateChoices = {},
  connections = [],
  judgeModel,
}: {
  slug: string;
  environments: EnvRules[];
  blocked: string | null;
  datasets?: string[];
  /** Environment name → why it exists, for those made for a Langfuse label. */
  origins?: Record<string, string>;
  /** Dataset name → its current version and the scorer presets a gate on it can start from. */
  gateChoices?: Record<string, GateChoice>;
  connections?: Array<{ id: string; name: string }>;
  judgeModel?: string;
}) {
  const router = useRouter();
  const toast = useToast();
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  async function add(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    const r = await createEnvironmentAction(slug, {
      name,
      protected: false,
      requiresReview: false,
      requiresLiveIn: null,
      evaluationGate: null,
      autoPromote: null,
    });
    if (!r.ok) return setError(r.message);
    toast.show(`Created environment ${r.data.name}.`);
    setName("");
    router.refresh();
  }
  return (
    <div className="flex flex-col gap-4">
      {/* The gate's dataset field suggests the project's datasets. */}
      <datalist id="gate-datasets">
        {datasets.map((d) => (
          <option key={d} value={d} />
        ))}
      </datalist>
      <ul className="flex flex-col gap-3">
        {environments.map((e) => (
          <RulesForm
            key={e.name}
            slug={slug}
            env={e}
            others={environments.map((o) => o.name).filter((o) => o !== e.name)}
            blocked={blocked}
            origin={origins[e.name]}
            gateChoices={gateChoices}
            connections={connections}
            judgeModel={judgeModel}
          />
        ))}
      </ul>
      {blocked ? null : (
        <form onSubmit={(e) => void add(e)} className="flex flex-wrap items-end gap-3" aria-label="Add an environment">
          <Input
            label="New environment"
            id="env-name"
            value={name}
            onChange={(e) => setName(e.target.value.toLowerCase())}
            placeholder="e.g. canary"
            error={error ?? undefined}
          />
          <Button type="submit" variant="secondary" disabled={!name.trim()}>
            Add environment
          </Button>
        </form>
      )}
    </div>
  );
}
