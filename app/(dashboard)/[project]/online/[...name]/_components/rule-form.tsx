"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { useConfirm } from "@/components/ui/confirm";
import { useToast } from "@/components/ui/toast";
import type { UncheckedSpec } from "@/lib/scorers/form";
import type { ScorerPresetOffer } from "@/lib/scorers/presets";
import { ScorerListEditor } from "@/components/evaluation/scorer-list-editor";
import { checkScorersAction } from "../../../_actions";
import { deleteOnlineRuleAction, saveOnlineRuleAction } from "../_actions";
import { ShadowFields, type ShadowValues } from "./shadow-fields";
import { AlertFields, RollbackFields, SamplingFields, SignalsField } from "./rule-fields";

export type RuleValues = {
  environment: string;
  sampleRate: number;
  scorers: unknown[];
  signals: string[];
  window: number;
  minSamples: number;
  alpha: number;
  alert: { maxDrop: number } | null;
  rollback: { enabled: boolean; maxDrop: number; cooldownMinutes: number };
  shadow: ShadowValues;
};

/** The online evaluation rule of one environment: sampling, scorers, signals, windows, thresholds. */
export function RuleForm({
  slug,
  prompt,
  initial,
  exists,
  blocked,
  presets,
  connections,
  judgeModel,
}: {
  slug: string;
  prompt: string;
  initial: RuleValues;
  exists: boolean;
  blocked: string | null;
  presets: ScorerPresetOffer;
  connections: Array<{ id: string; name: string }>;
  judgeModel: string | null;
}) {
  const router = useRouter();
  const toast = useToast();
  const { confirm, dialog } = useConfirm();
  const [v, setV] = useState(initial);
  const [scorers, setScorers] = useState(initial.scorers as UncheckedSpec[]);
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof RuleValues>(k: K, value: RuleValues[K]) => setV((cur) => ({ ...cur, [k]: value }));
  const fieldError = (prefix: string) =>
    error && (error.field === prefix || error.field?.startsWith(`${prefix}.`)) ? error.message : undefined;

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    if (jsonError) return setError({ field: "scorers", message: `Fix the scorers' JSON first: ${jsonError}` });
    setBusy(true);
    const r = await saveOnlineRuleAction(slug, { name: prompt, rule: { ...v, scorers } });
    setBusy(false);
    if (!r.ok) return setError({ field: r.field, message: r.message });
    toast.show(`Online evaluation saved for ${v.environment}.`);
    router.refresh();
  }

  async function remove() {
    const yes = await confirm({
      title: `Stop evaluating ${prompt} in ${v.environment}?`,
      body: "Scores gathered so far are deleted with the rule.",
      confirmLabel: "Remove online evaluation",
      danger: true,
    });
    if (!yes) return;
    const r = await deleteOnlineRuleAction(slug, { name: prompt, environment: v.environment });
    if (!r.ok) return toast.show(r.message, "error");
    toast.show("Online evaluation removed.");
    router.refresh();
  }

  const disabled = Boolean(blocked) || busy;
  return (
    <form
      onSubmit={(e) => void save(e)}
      className="flex flex-col gap-4"
      aria-label={`Online evaluation rule for ${v.environment}`}
    >
      {blocked ? <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">{blocked}</p> : null}
      <fieldset disabled={disabled} className="flex flex-col gap-4">
        <SamplingFields v={v} set={set} fieldError={fieldError} />
        <ScorerListEditor
          id="rule-scorers"
          label="Scorers (the same as offline evaluation)"
          withExpected={false}
          value={scorers}
          onChange={setScorers}
          presets={presets}
          connections={connections}
          judgeModel={judgeModel ?? undefined}
          check={(list) => checkScorersAction(slug, { scorers: list }).then((r) => (r.ok ? r.data : null))}
          error={fieldError("scorers")}
          onJsonError={setJsonError}
        />
        <SignalsField v={v} set={set} fieldError={fieldError} />
        <AlertFields v={v} set={set} fieldError={fieldError} />
        <RollbackFields v={v} set={set} fieldError={fieldError} />
        <ShadowFields
          value={v.shadow}
          onChange={(shadow) => set("shadow", shadow)}
          error={fieldError("shadow")}
          judgeModel={judgeModel}
        />
      </fieldset>
      {error &&
      !["sampleRate", "window", "minSamples", "scorers", "signals", "alpha", "alert", "rollback", "shadow"].some(
        (f) => error.field === f || error.field?.startsWith(`${f}.`),
      ) ? (
        <p role="alert" className="text-sm text-red-800">
          {error.message}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={disabled}>
          {exists ? "Save rule" : `Start evaluating ${v.environment}`}
        </Button>
        {exists && !blocked ? (
          <Button type="button" variant="ghost" onClick={() => void remove()}>
            Remove rule
          </Button>
        ) : null}
      </div>
      {dialog}
    </form>
  );
}
