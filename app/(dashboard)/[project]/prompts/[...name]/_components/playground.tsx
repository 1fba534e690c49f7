"use client";

import { useState } from "react";
import type { PlaygroundResult } from "@/lib/evaluation/playground";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { saveCaseAction } from "../../../datasets/_actions";
import { runPlaygroundAction } from "../_actions";
import { PlaygroundOutput, SaveCase, type SecondRun } from "./playground-output";
import { PlaygroundVariables } from "./playground-variables";
import { useVersionInView } from "./shown-version-picker";
import { values, type PlaygroundVariable } from "./playground-values";
import { FormError } from "@/components/forms/form-error";
import { useField, type Field } from "@/components/forms/use-field";

export type { PlaygroundVariable };

export type PlaygroundVersion = {
  version: number;
  label: string;
  model: string | null;
  variables: PlaygroundVariable[];
};
export type PlaygroundConnection = { id: string; name: string; provider: string; isDefault: boolean };

/** What the second run of a side-by-side comparison runs: another version, or the same one with another model. */
type CompareWith = { kind: "none" } | { kind: "version"; version: number } | { kind: "model" };

/**
 * Runs the version in view (the newest by default; the prompt card's picker and this one's switch it for both,
 * through ?version=) once against its model and shows the output with tokens, cost
 * and latency; optionally a second run on the same inputs, another version or another model, side by side.
 */
export function Playground({
  slug,
  prompt,
  version: initialVersion,
  versions,
  connections,
  datasets,
  blocked,
}: {
  slug: string;
  prompt: string;
  version: number;
  /** Every version, newest first, to choose from, with what each asks for. */
  versions: PlaygroundVersion[];
  connections: PlaygroundConnection[];
  datasets: Array<{ id: string; name: string }>;
  blocked: string | null;
}) {
  const [text, setText] = useState<Record<string, string>>({});
  const connection = useField();
  const modelOverride = useField();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<PlaygroundResult | null>(null);
  const [version, setVersion] = useState(initialVersion);
  // The version in view changed elsewhere (the prompt card's picker): run that one, keeping the values typed.
  const [inView, setInView] = useState(initialVersion);
  if (inView !== initialVersion) {
    setInView(initialVersion);
    setVersion(initialVersion);
  }
  const showVersion = useVersionInView("#playground");
  const [compare, setCompare] = useState<CompareWith>({ kind: "none" });
  const chosen = versions.find((v) => v.version === version) ?? versions[0]!;
  const { model, variables } = chosen;
  const compareModel = useField();
  const [second, setSecond] = useState<SecondRun | null>(null);
  const [ran, setRan] = useState<Record<string, unknown>>({});
  const [dataset, setDataset] = useState(datasets[0]?.id ?? "");
  const expected = useField();
  const [saved, setSaved] = useState<string | null>(null);

  async function save() {
    setSaved(null);
    const r = await saveCaseAction(slug, { dataset, input: ran, expected: expected.value, tags: ["playground"] });
    setSaved(
      r.ok
        ? `Saved to ${datasets.find((d) => d.id === dataset)?.name ?? "the dataset"} (now version ${r.data.version}).`
        : r.message,
    );
  }

  async function run(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    const v = values(variables, text);
    if (!v.ok) return setError(v.message);
    if (compare.kind === "model" && !compareModel.value.trim())
      return setError("Name the model to compare with, or choose nothing to compare.");
    setBusy(true);
    const common = { name: prompt, variables: v.values, ...(connection.value && { connection: connection.value }) };
    const override = modelOverride.value.trim();
    // Both runs start together on the same inputs; each answers (or fails) on its own.
    const [r, b] = await Promise.all([
      runPlaygroundAction(slug, { ...common, version, ...(override && { model: override }) }),
      compare.kind === "none"
        ? Promise.resolve(null)
        : runPlaygroundAction(
            slug,
            compare.kind === "version"
              ? { ...common, version: compare.version }
              : { ...common, version, model: compareModel.value.trim() },
          ),
    ]);
    setBusy(false);
    setSecond(b ? (b.ok ? { ok: true, data: b.data } : { ok: false, message: b.message }) : null);
    if (!r.ok) {
      setResult(null);
      return setError(r.message);
    }
    setResult(r.data);
    setRan(v.values);
    expected.onValue(r.data.output);
    setSaved(null);
  }

  if (blocked) return <p className="text-sm text-slate-600">{blocked}</p>;
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
      <form onSubmit={(e) => void run(e)} className="flex flex-col gap-3" aria-label={`Run version ${version}`}>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
          <Select
            label="Version"
            id="pg-version"
            value={String(version)}
            onValue={(v) => {
              setVersion(Number(v));
              showVersion(Number(v));
            }}
            options={versions.map((v) => ({ value: String(v.version), label: v.label }))}
          />
          <CompareSelect versions={versions} version={version} compare={compare} onCompare={setCompare} />
        </div>
        <PlaygroundVariables
          variables={variables}
          text={text}
          onText={(name, value) => setText((t) => ({ ...t, [name]: value }))}
        />
        <ModelFields
          connections={connections}
          connection={connection}
          model={model}
          modelOverride={modelOverride}
          compareModel={compare.kind === "model" ? compareModel : null}
        />
        <div>
          <Button type="submit" disabled={busy}>
            {busy ? "Running…" : `Run v${version}`}
          </Button>
        </div>
        <FormError message={error} className="text-sm text-red-800" />
      </form>
      <PlaygroundOutput result={result} second={second}>
        <SaveCase
          datasets={datasets}
          dataset={dataset}
          onDataset={setDataset}
          expected={expected}
          saved={saved}
          onSave={() => void save()}
        />
      </PlaygroundOutput>
    </div>
  );
}

/** What the second run is: nothing, this version with another model, or another version. */
function CompareSelect({
  versions,
  version,
  compare,
  onCompare,
}: {
  versions: PlaygroundVersion[];
  version: number;
  compare: CompareWith;
  onCompare: (c: CompareWith) => void;
}) {
  return (
    <Select
      label="Compare with"
      id="pg-compare"
      value={compare.kind === "version" ? String(compare.version) : compare.kind}
      onChange={(e) => {
        const x = e.target.value;
        onCompare(x === "none" || x === "model" ? { kind: x } : { kind: "version", version: Number(x) });
      }}
      hint="A second run on the same inputs, shown side by side."
    >
      <option value="none">Nothing</option>
      <option value="model">This version with another model</option>
      {versions
        .filter((v) => v.version !== version)
        .map((v) => (
          <option key={v.version} value={v.version}>
            {v.label}
          </option>
        ))}
    </Select>
  );
}

/** Which connection and model run it, and the model the second run compares with when that is the comparison. */
function ModelFields({
  connections,
  connection,
  model,
  modelOverride,
  compareModel,
}: {
  connections: PlaygroundConnection[];
  connection: Field;
  model: string | null;
  modelOverride: Field;
  /** The model to compare with, or null when the comparison is not another model. */
  compareModel: Field | null;
}) {
  return (
    <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
      <Select
        label="Connection"
        id="pg-connection"
        {...connection}
        options={connections.map((c) => ({ value: c.id, label: `${c.name} (${c.provider})` }))}
      >
        <option value="">Project default</option>
      </Select>
      <Input
        label="Model"
        id="pg-model"
        {...modelOverride}
        placeholder={model ?? "the connection's default"}
        maxLength={200}
        hint="Leave empty to use the version's model."
      />
      {compareModel !== null ? (
        <Input
          label="Compare with model"
          id="pg-compare-model"
          {...compareModel}
          maxLength={200}
          hint="The same version, this model, the same connection."
        />
      ) : null}
    </div>
  );
}
