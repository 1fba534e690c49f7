"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { useConfirm } from "@/components/ui/confirm";
import { useToast } from "@/components/ui/toast";
import type { SpecDraft } from "@/lib/scorers/form";
import type { ScorerPresetOffer } from "@/lib/scorers/presets";
import { ScorerListEditor } from "@/components/evaluation/scorer-list-editor";
import { checkScorersAction } from "../../../_actions";
import { deleteOnlineRuleAction, saveOnlineRuleAction } from "../_actions";
import { ShadowFields, type ShadowValues } from "./shadow-fields";
import { Checkbox } from "@/components/forms/checkbox";

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

const pct = (x: number) => Math.round(x * 1000) / 10;

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
  const [scorers, setScorers] = useState(initial.scorers as SpecDraft[]);
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
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
          <Input
            label="Sample rate (%)"
            id="rule-sample-rate"
            type="number"
            min={0}
            max={100}
            step="any"
            value={pct(v.sampleRate)}
            onValue={(v) => set("sampleRate", Number(v) / 100)}
            error={fieldError("sampleRate")}
            hint="Share of generations with an output that are scored. The same event is always in or out."
          />
          <Input
            label="Window"
            id="rule-window"
            type="number"
            min={10}
            max={100000}
            value={v.window}
            onValue={(v) => set("window", Number(v))}
            error={fieldError("window")}
            hint="The last N scored outputs of each version are compared."
          />
          <Input
            label="Minimum samples"
            id="rule-min-samples"
            type="number"
            min={2}
            value={v.minSamples}
            onValue={(v) => set("minSamples", Number(v))}
            error={fieldError("minSamples")}
            hint="No verdict until both versions have this many."
          />
        </div>
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
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Signals from your application</legend>
          <div className="mt-1 flex flex-wrap gap-4 text-sm">
            {[
              ["feedback", "Feedback (thumbs, 1–5 ratings)"],
              ["outcome", "Outcomes (completed, named outcomes)"],
            ].map(([key, label]) => (
              <label key={key} className="flex items-center gap-2">
                <input
                  type="checkbox"
                  checked={v.signals.includes(key!)}
                  onChange={() =>
                    set("signals", v.signals.includes(key!) ? v.signals.filter((s) => s !== key) : [...v.signals, key!])
                  }
                />
                {label}
              </label>
            ))}
          </div>
          {fieldError("signals") ? <p className="mt-1 text-sm text-red-800">{fieldError("signals")}</p> : null}
        </fieldset>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
          <Select
            label="Significance (α)"
            id="rule-alpha"
            value={String(v.alpha)}
            onValue={(v) => set("alpha", Number(v))}
            error={fieldError("alpha")}
            hint="The risk of a false alarm when nothing changed. 0.05 is usual; lower means fewer false alarms, later alerts."
            options={[0.01, 0.05, 0.1].map((a) => ({
              value: String(a),
              label: `${a} (${Math.round((1 - a) * 100)}% confidence)`,
            }))}
          />
          <Input
            label="Alert when a metric drops by (points)"
            id="rule-alert-drop"
            type="number"
            min={0}
            max={100}
            step="any"
            value={v.alert ? pct(v.alert.maxDrop) : ""}
            placeholder="no alerts"
            onValue={(v) => set("alert", v === "" ? null : { maxDrop: Number(v) / 100 })}
            error={fieldError("alert")}
            hint="On the 0–100% scale every metric is put on; significance is required too."
          />
          <div />
        </div>
        <fieldset className="rounded-md border border-slate-200 p-3">
          <legend className="px-1 text-sm font-medium text-slate-700">Automatic rollback</legend>
          <Checkbox
            className="flex items-center gap-2 text-sm"
            checked={v.rollback.enabled}
            onCheck={(checked) => set("rollback", { ...v.rollback, enabled: checked })}
          >
            Roll back to the last known-good version when a metric drops past the threshold
          </Checkbox>
          <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2">
            <Input
              label="Roll back when a metric drops by (points)"
              id="rule-rollback-drop"
              type="number"
              min={0}
              max={100}
              step="any"
              value={pct(v.rollback.maxDrop)}
              onValue={(value) => set("rollback", { ...v.rollback, maxDrop: Number(value) / 100 })}
              error={fieldError("rollback")}
              disabled={!v.rollback.enabled}
            />
            <Input
              label="Cooldown (minutes)"
              id="rule-cooldown"
              type="number"
              min={0}
              max={10080}
              value={v.rollback.cooldownMinutes}
              onValue={(value) => set("rollback", { ...v.rollback, cooldownMinutes: Number(value) })}
              disabled={!v.rollback.enabled}
              hint="At most one automatic rollback per cooldown; a version rolled back is never brought back automatically."
            />
          </div>
        </fieldset>
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
