"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import type { NewRunFormData } from "@/lib/evaluation/runs/form-data";
import { sameList, type UncheckedSpec } from "@/lib/scorers/form";
import type { ScorerPresetOffer } from "@/lib/scorers/presets";
import { ScorerListEditor } from "@/components/evaluation/scorer-list-editor";
import { useField } from "@/components/forms/use-field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { RunSettingsFields } from "./run-settings-fields";
import { AlertLine } from "@/components/ui/alert-line";
import type { FormError } from "@/components/ui/password-fields";
import { checkScorersAction } from "../../_actions";
import { startRunAction } from "../_actions";

const defaultOf = (offer: ScorerPresetOffer | undefined): UncheckedSpec[] =>
  (offer?.presets.find((p) => p.id === offer.defaultId)?.scorers ?? []) as UncheckedSpec[];

export function NewRunForm({
  slug,
  prompts,
  datasets,
  connections,
  baselines,
  judgeModel,
  initial,
}: {
  slug: string;
  prompts: NewRunFormData["prompts"];
  datasets: NewRunFormData["datasets"];
  connections: NewRunFormData["connections"];
  baselines: NewRunFormData["baselines"];
  judgeModel: string | null;
  initial: { prompt: string; version?: number; dataset: string };
}) {
  const router = useRouter();
  const [prompt, setPrompt] = useState(initial.prompt || prompts[0]?.name || "");
  const latest = prompts.find((p) => p.name === prompt)?.latest ?? 1;
  const version = useField(String(initial.version ?? ""));
  const datasetFor = (promptName: string, id: string) => {
    const forPrompt = datasets.filter((d) => !d.prompt || d.prompt === promptName);
    return forPrompt.find((d) => d.id === id) ?? forPrompt[0];
  };
  const forPrompt = datasets.filter((d) => !d.prompt || d.prompt === prompt);
  const [dataset, setDataset] = useState(initial.dataset);
  const chosen = datasetFor(prompt, dataset);
  const chosenDataset = chosen?.id ?? "";
  const [scorers, setScorers] = useState<UncheckedSpec[]>(() => defaultOf(chosen?.scorers));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [counts, setCounts] = useState({ repetitions: "1", concurrency: "4" });
  const connection = useField();
  const baseline = useField();
  const baselineChoices = baselines.filter((b) => b.dataset === chosenDataset);
  const [error, setError] = useState<FormError>(null);
  const [busy, setBusy] = useState(false);

  // Another dataset brings its own default scorers, unless the person has made the list their own.
  function switchTo(promptName: string, id: string) {
    const next = datasetFor(promptName, id);
    const untouched = !chosen || chosen.scorers.presets.some((p) => sameList(p.scorers, scorers));
    if (next?.id !== chosen?.id && untouched) setScorers(defaultOf(next?.scorers));
  }

  async function start(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    if (jsonError) return setError({ field: "scorers", message: `Fix the scorers' JSON first: ${jsonError}` });
    setBusy(true);
    const r = await startRunAction(slug, {
      prompt,
      version: Number(version.value || latest),
      dataset: chosenDataset,
      scorers,
      repetitions: Number(counts.repetitions),
      concurrency: Number(counts.concurrency),
      connection: connection.value || null,
      baseline: baselineChoices.some((b) => b.id === baseline.value) ? baseline.value : undefined,
    });
    setBusy(false);
    if (!r.ok) return setError({ message: r.message, field: r.field });
    router.push(`/${slug}/evaluations/${r.data.id}`);
  }

  const fieldError = (f: string) =>
    error?.field === f || error?.field?.startsWith(`${f}.`) || error?.field?.startsWith(`${f}[`)
      ? error.message
      : undefined;
  return (
    <form onSubmit={(e) => void start(e)} className="flex flex-col gap-3" aria-label="Start an evaluation run">
      <div className="grid gap-3 md:grid-cols-3">
        <Select
          label="Prompt"
          id="run-prompt"
          value={prompt}
          onChange={(e) => {
            switchTo(e.target.value, dataset);
            setPrompt(e.target.value);
          }}
          error={fieldError("prompt")}
          options={prompts.map((p) => p.name)}
        />
        <Input
          label="Version"
          id="run-version"
          type="number"
          min={1}
          max={latest}
          {...version}
          placeholder={`latest (v${latest})`}
          error={fieldError("version")}
        />
        <Select
          label="Dataset"
          id="run-dataset"
          value={chosenDataset}
          onChange={(e) => {
            switchTo(prompt, e.target.value);
            setDataset(e.target.value);
          }}
          error={fieldError("dataset") ?? fieldError("datasetVersion")}
          options={forPrompt.map((d) => ({ value: d.id, label: `${d.name} (${d.items} items)` }))}
        >
          {forPrompt.length ? null : <option value="">No dataset for this prompt</option>}
        </Select>
      </div>
      <ScorerListEditor
        id="run-scorers"
        label="Scorers"
        hint="The run's score is the weighted mean over items; an item passes when every scorer reaches its pass mark."
        value={scorers}
        onChange={setScorers}
        presets={chosen?.scorers}
        connections={connections}
        judgeModel={judgeModel ?? undefined}
        check={(list) => checkScorersAction(slug, { scorers: list }).then((r) => (r.ok ? r.data : null))}
        error={fieldError("scorers")}
        onJsonError={setJsonError}
      />
      <RunSettingsFields
        counts={counts}
        onCounts={setCounts}
        connections={connections}
        connection={connection}
        baselines={baselineChoices}
        baseline={baseline}
        fieldError={fieldError}
      />
      <div>
        <Button type="submit" disabled={busy || !prompt || !chosenDataset}>
          {busy ? "Starting…" : "Start run"}
        </Button>
      </div>
      <AlertLine
        message={
          ["prompt", "version", "dataset", "datasetVersion", "scorers", "repetitions", "concurrency", "baseline"].some(
            (f) => fieldError(f),
          )
            ? undefined
            : error?.message
        }
      />
    </form>
  );
}
