"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { sentence } from "@/lib/sentence";
import { Button } from "@/components/ui/button";
import { GatedButton } from "@/components/ui/gated-button";
import { useToast } from "@/components/ui/toast";
import type { PromptChoices } from "@/lib/views/prompt-choices";
import { createExperimentAction, promptChoicesAction } from "../../_actions";
import {
  defaultVariants,
  initialState,
  payloadOf,
  primaryOf,
  weightsOf,
  formFields,
  atField,
  type FormState,
  type MetricOption,
} from "./form-state";
import { BasicsFields } from "./basics-fields";
import { MetricFields } from "./metric-fields";
import { ModeFields } from "./mode-fields";
import { PlanPanel } from "./plan-panel";
import { NamespaceFields, namespaceShare, type NamespaceUsageView } from "./namespace-fields";
import { RatioFields } from "./ratio-fields";
import { StatisticsFields } from "./statistics-fields";
import { VariantsEditor } from "./variants-editor";

const section = "flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm";
const n = (s: string, scale = 1) => (s.trim() === "" ? NaN : Number(s) / scale);
/** What the plan is computed from: the primary metric's kind and the statistics as typed. */
const planInput = (s: FormState, primary: ReturnType<typeof primaryOf>) => ({
  kind: primary.kind,
  arms: s.variants.length,
  alpha: n(s.alpha),
  power: n(s.power, 100),
  minDetectableEffect: n(s.mde, 100),
  baselineRate: s.baselineRate.trim() ? n(s.baselineRate, 100) : null,
  baselineMean: s.baselineMean.trim() ? n(s.baselineMean) : null,
  baselineSd: s.baselineSd.trim() ? n(s.baselineSd) : null,
  coverage: n(s.coverage, 100) * namespaceShare(s),
});
/** Defines an experiment (saved not started): what is compared, how it is measured, and the plan, shown before it is saved. */
export function ExperimentForm({
  slug,
  blocked,
  prompts,
  environments,
  metrics,
  initial,
}: {
  slug: string;
  blocked: string | null;
  prompts: { name: string; versions: number }[];
  environments: { name: string; protected: boolean }[];
  metrics: MetricOption[];
  initial: { choices: PromptChoices; environment: string; namespaces: NamespaceUsageView[] };
}) {
  const router = useRouter();
  const toast = useToast();
  const [choices, setChoices] = useState(initial.choices);
  const [s, setS] = useState<FormState>(() => initialState(initial.choices, initial.environment, metrics));
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const readOnly = Boolean(blocked);
  // An edit answers the server's complaint: it is cleared, and the next save checks again.
  const set = (p: Partial<FormState>) => {
    setError(null);
    setS((x) => ({ ...x, ...p }));
  };
  // A server error shows at its field (the API names it, e.g. "variants" or "bandit.floor"); others above the buttons.
  const fieldError = (prefix: string) =>
    error?.field && (error.field === prefix || error.field.startsWith(`${prefix}.`))
      ? atField(error.message, error.field)
      : undefined;
  const general = error && !formFields.some((k) => fieldError(k)) ? error.message : null;
  const primary = primaryOf(s, metrics);

  async function changePrompt(name: string) {
    set({ prompt: name });
    const r = await promptChoicesAction(slug, { prompt: name });
    if (!r.ok) return setError({ message: sentence(r.message), field: "prompt" });
    setError(null);
    setChoices(r.data);
    setS((x) => ({ ...x, prompt: name, variants: defaultVariants(r.data, x.environment), equalWeights: true }));
  }
  function changeEnvironment(environment: string) {
    setError(null);
    setS((x) => ({ ...x, environment, variants: defaultVariants(choices, environment), equalWeights: true }));
  }

  async function submit(ev: React.FormEvent) {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    const r = await createExperimentAction(slug, payloadOf(s, metrics));
    setBusy(false);
    if (!r.ok) return setError({ message: sentence(r.message), field: r.field });
    toast.show("Experiment saved as a draft. Start it when you are ready.");
    router.push(`/${slug}/experiments/${r.data.id}`);
  }

  const weights = weightsOf(s);
  return (
    <form
      onSubmit={(e) => void submit(e)}
      className="grid gap-5 lg:grid-cols-[1fr_20rem]"
      aria-label="New experiment"
      noValidate
    >
      <div className="flex min-w-0 flex-col gap-5">
        <section className={section} aria-labelledby="what-title">
          <h2 id="what-title" className="text-base font-semibold text-slate-900">
            What is compared
          </h2>
          <BasicsFields
            s={s}
            set={set}
            readOnly={readOnly}
            error={fieldError}
            prompts={prompts}
            environments={environments}
            live={choices.live}
            onPrompt={(v) => void changePrompt(v)}
            onEnvironment={changeEnvironment}
          />
          {choices.versions.length < 2 ? (
            <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
              {s.prompt} has one version: save another version to compare it with.
            </p>
          ) : null}
          <VariantsEditor
            rows={s.variants}
            equal={s.equalWeights}
            choices={choices}
            environment={s.environment}
            readOnly={readOnly}
            error={fieldError("variants")}
            onChange={(variants, equalWeights) => set({ variants, equalWeights })}
          />
          <NamespaceFields s={s} set={set} namespaces={initial.namespaces} readOnly={readOnly} error={fieldError} />
        </section>

        <section className={section} aria-labelledby="how-title">
          <h2 id="how-title" className="text-base font-semibold text-slate-900">
            How it is measured
          </h2>
          <MetricFields s={s} set={set} metrics={metrics} readOnly={readOnly} error={fieldError} />
          <RatioFields s={s} set={set} metrics={metrics} readOnly={readOnly} error={fieldError} />
          <ModeFields s={s} set={set} readOnly={readOnly} error={fieldError} />
        </section>

        <section className={section} aria-labelledby="stats-title">
          <h2 id="stats-title" className="text-base font-semibold text-slate-900">
            Statistics
          </h2>
          <StatisticsFields s={s} set={set} primary={primary} readOnly={readOnly} error={fieldError} />
        </section>
      </div>

      <div className="flex flex-col gap-4 lg:sticky lg:top-4 lg:self-start">
        <PlanPanel metric={primary.name || "custom metric"} mode={s.mode} input={planInput(s, primary)} />
        <p className="text-xs text-slate-600">
          Split: {s.variants.map((v, i) => `${v.key || "?"} ${Math.round(weights[i]! * 1000) / 10}%`).join(" · ")}
        </p>
        {general ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            {general}
          </p>
        ) : error ? (
          <p className="text-sm text-red-800">Fix the field marked in red.</p>
        ) : null}
        <GatedButton type="submit" blockedReason={blocked} disabled={busy}>
          {busy ? "Saving…" : "Save as draft"}
        </GatedButton>
        <Button type="button" variant="ghost" onClick={() => router.back()}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
