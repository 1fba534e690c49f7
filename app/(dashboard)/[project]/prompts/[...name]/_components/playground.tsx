"use client";

import { useState } from "react";
import { ImageValueInput } from "@/components/prompt/image-value-input";
import type { PlaygroundResult } from "@/lib/evaluation/playground";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { saveCaseAction } from "../../../datasets/_actions";
import { runPlaygroundAction } from "../_actions";
import { PlaygroundRun } from "./playground-result";
import { useVersionInView } from "./shown-version-picker";
import { values, type PlaygroundVariable } from "./playground-values";
import { FormError } from "@/components/forms/form-error";

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
  const [connection, setConnection] = useState("");
  const [modelOverride, setModelOverride] = useState("");
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
  const [compareModel, setCompareModel] = useState("");
  const [second, setSecond] = useState<{ ok: true; data: PlaygroundResult } | { ok: false; message: string } | null>(
    null,
  );
  const [ran, setRan] = useState<Record<string, unknown>>({});
  const [dataset, setDataset] = useState(datasets[0]?.id ?? "");
  const [expected, setExpected] = useState("");
  const [saved, setSaved] = useState<string | null>(null);

  async function save() {
    setSaved(null);
    const r = await saveCaseAction(slug, { dataset, input: ran, expected, tags: ["playground"] });
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
    if (compare.kind === "model" && !compareModel.trim())
      return setError("Name the model to compare with, or choose nothing to compare.");
    setBusy(true);
    const common = { name: prompt, variables: v.values, ...(connection && { connection }) };
    // Both runs start together on the same inputs; each answers (or fails) on its own.
    const [r, b] = await Promise.all([
      runPlaygroundAction(slug, { ...common, version, ...(modelOverride.trim() && { model: modelOverride.trim() }) }),
      compare.kind === "none"
        ? Promise.resolve(null)
        : runPlaygroundAction(
            slug,
            compare.kind === "version"
              ? { ...common, version: compare.version }
              : { ...common, version, model: compareModel.trim() },
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
    setExpected(r.data.output);
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
          <Select
            label="Compare with"
            id="pg-compare"
            value={compare.kind === "version" ? String(compare.version) : compare.kind}
            onChange={(e) => {
              const x = e.target.value;
              setCompare(x === "none" || x === "model" ? { kind: x } : { kind: "version", version: Number(x) });
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
        </div>
        {variables.length ? (
          variables.map((v) =>
            v.type === "image" ? (
              <ImageValueInput
                key={v.name}
                id={`pg-${v.name}`}
                label={`${v.name}${v.required && v.default === undefined ? "" : " (optional)"}`}
                value={text[v.name] ?? ""}
                hint={v.description}
                onChange={(value) => setText((t) => ({ ...t, [v.name]: value }))}
              />
            ) : v.type === "boolean" ? (
              <Select
                key={v.name}
                label={v.name}
                id={`pg-${v.name}`}
                value={text[v.name] ?? ""}
                onValue={(value) => setText((t) => ({ ...t, [v.name]: value }))}
                hint={v.description}
              >
                <option value="">{v.default !== undefined ? `default (${String(v.default)})` : "not set"}</option>
                <option value="true">true</option>
                <option value="false">false</option>
              </Select>
            ) : (
              <Textarea
                key={v.name}
                label={`${v.name}${v.required && v.default === undefined ? "" : " (optional)"}`}
                id={`pg-${v.name}`}
                rows={v.type === "json" ? 4 : 2}
                value={text[v.name] ?? ""}
                placeholder={
                  v.default !== undefined
                    ? `default: ${typeof v.default === "string" ? v.default : JSON.stringify(v.default)}`
                    : v.type === "json"
                      ? "JSON"
                      : undefined
                }
                onValue={(value) => setText((t) => ({ ...t, [v.name]: value }))}
                hint={v.description}
                className={v.type === "json" ? "font-mono text-xs" : ""}
              />
            ),
          )
        ) : (
          <p className="text-sm text-slate-600">This version declares no variables.</p>
        )}
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
          <Select
            label="Connection"
            id="pg-connection"
            value={connection}
            onValue={setConnection}
            options={connections.map((c) => ({ value: c.id, label: `${c.name} (${c.provider})` }))}
          >
            <option value="">Project default</option>
          </Select>
          <Input
            label="Model"
            id="pg-model"
            value={modelOverride}
            onValue={setModelOverride}
            placeholder={model ?? "the connection's default"}
            maxLength={200}
            hint="Leave empty to use the version's model."
          />
          {compare.kind === "model" ? (
            <Input
              label="Compare with model"
              id="pg-compare-model"
              value={compareModel}
              onValue={setCompareModel}
              maxLength={200}
              hint="The same version, this model, the same connection."
            />
          ) : null}
        </div>
        <div>
          <Button type="submit" disabled={busy}>
            {busy ? "Running…" : `Run v${version}`}
          </Button>
        </div>
        <FormError message={error} className="text-sm text-red-800" />
      </form>
      <div aria-live="polite" className="min-w-0">
        {result ? (
          <div className="flex flex-col gap-3">
            <div className={second ? "grid grid-cols-1 gap-4 md:grid-cols-2" : ""}>
              <PlaygroundRun result={result} title={second ? `A: v${result.version} · ${result.model}` : undefined} />
              {second?.ok ? (
                <PlaygroundRun
                  result={second.data}
                  title={`B: v${second.data.version} · ${second.data.model}`}
                  testId="playground-b"
                />
              ) : second ? (
                <p role="alert" className="text-sm text-red-800" data-testid="playground-b-error">
                  The second run failed: {second.message}
                </p>
              ) : null}
            </div>
            {datasets.length ? (
              <div className="mt-2 flex flex-col gap-2 rounded-md border border-slate-200 p-3" data-testid="save-case">
                <p className="text-sm font-medium text-slate-800">Save this case to a dataset</p>
                <Select
                  label="Dataset"
                  id="pg-dataset"
                  value={dataset}
                  onValue={setDataset}
                  options={datasets.map((d) => ({ value: d.id, label: d.name }))}
                />
                <Textarea
                  label="Expected answer"
                  id="pg-expected"
                  rows={3}
                  value={expected}
                  onValue={setExpected}
                  hint="The output, as a reviewed good answer; edit it when it is not."
                />
                <div>
                  <Button type="button" size="sm" variant="secondary" onClick={() => void save()} disabled={!dataset}>
                    Save to dataset
                  </Button>
                </div>
                {saved ? (
                  <p role="status" className="text-sm text-slate-700">
                    {saved}
                  </p>
                ) : null}
              </div>
            ) : null}
          </div>
        ) : (
          <p className="text-sm text-slate-600">
            Fill in the variables and run this version against its model. Nothing is saved except an audit entry with
            the call&apos;s tokens and cost.
          </p>
        )}
      </div>
    </div>
  );
}
