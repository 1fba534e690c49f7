"use client";

import { useState } from "react";
import type { PlaygroundResult } from "@/lib/evaluation/playground";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { saveCaseAction } from "../../../datasets/_actions";
import { runPlaygroundAction } from "../_actions";

export type PlaygroundVariable = {
  name: string;
  type: "string" | "number" | "boolean" | "json";
  required: boolean;
  default?: unknown;
  description?: string;
};
export type PlaygroundConnection = { id: string; name: string; provider: string; isDefault: boolean };

const usd = (x: number | null) =>
  x === null ? "unknown (no price for this model)" : x < 0.01 ? `$${x.toPrecision(2)}` : `$${x.toFixed(4)}`;

/** Typed values from the text fields; an empty field is left out so the variable's default applies. */
function values(
  vars: PlaygroundVariable[],
  text: Record<string, string>,
): { ok: true; values: Record<string, unknown> } | { ok: false; message: string } {
  const out: Record<string, unknown> = {};
  for (const v of vars) {
    const raw = text[v.name] ?? "";
    if (raw === "") continue;
    if (v.type === "number") {
      const n = Number(raw);
      if (!Number.isFinite(n)) return { ok: false, message: `${v.name} must be a number.` };
      out[v.name] = n;
    } else if (v.type === "boolean") out[v.name] = raw === "true";
    else if (v.type === "json") {
      try {
        out[v.name] = JSON.parse(raw);
      } catch {
        return { ok: false, message: `${v.name} is not valid JSON.` };
      }
    } else out[v.name] = raw;
  }
  return { ok: true, values: out };
}

/** Runs the shown version once against its model and shows the output with tokens, cost and latency. */
export function Playground({
  slug,
  prompt,
  version,
  model,
  variables,
  connections,
  datasets,
  blocked,
}: {
  slug: string;
  prompt: string;
  version: number;
  model: string | null;
  variables: PlaygroundVariable[];
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
    setBusy(true);
    const r = await runPlaygroundAction(slug, {
      name: prompt,
      version,
      variables: v.values,
      ...(connection && { connection }),
      ...(modelOverride.trim() && { model: modelOverride.trim() }),
    });
    setBusy(false);
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
        {variables.length ? (
          variables.map((v) =>
            v.type === "boolean" ? (
              <Select
                key={v.name}
                label={v.name}
                id={`pg-${v.name}`}
                value={text[v.name] ?? ""}
                onChange={(e) => setText((t) => ({ ...t, [v.name]: e.target.value }))}
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
                onChange={(e) => setText((t) => ({ ...t, [v.name]: e.target.value }))}
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
            onChange={(e) => setConnection(e.target.value)}
          >
            <option value="">Project default</option>
            {connections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.provider})
              </option>
            ))}
          </Select>
          <Input
            label="Model"
            id="pg-model"
            value={modelOverride}
            onChange={(e) => setModelOverride(e.target.value)}
            placeholder={model ?? "the connection's default"}
            maxLength={200}
            hint="Leave empty to use the version's model."
          />
        </div>
        <div>
          <Button type="submit" disabled={busy}>
            {busy ? "Running…" : `Run v${version}`}
          </Button>
        </div>
        {error ? (
          <p role="alert" className="text-sm text-red-800">
            {error}
          </p>
        ) : null}
      </form>
      <div aria-live="polite" className="min-w-0">
        {result ? (
          <div className="flex flex-col gap-2" data-testid="playground-result">
            <div className="flex flex-wrap items-center gap-1.5 text-xs">
              <Badge tone={result.error ? "red" : "green"}>
                {result.error ? `failed: ${result.error.kind}` : result.finishReason}
              </Badge>
              <Badge>{result.model}</Badge>
              <Badge tone="blue">{result.connection.name}</Badge>
            </div>
            {result.error ? (
              <p className="text-sm text-red-800" role="alert">
                {result.error.message}
              </p>
            ) : null}
            <pre
              className="max-h-80 overflow-auto whitespace-pre-wrap rounded-md border border-slate-200 bg-slate-50 p-3 text-sm"
              data-testid="playground-output"
            >
              {result.output || (result.toolCalls ? JSON.stringify(result.toolCalls, null, 2) : "(no text)")}
            </pre>
            <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4" data-testid="playground-stats">
              <div>
                <dt className="text-xs text-slate-600">Tokens in / out</dt>
                <dd>
                  {result.usage.inputTokens} / {result.usage.outputTokens}
                </dd>
              </div>
              <div>
                <dt className="text-xs text-slate-600">Cost</dt>
                <dd>{usd(result.costUsd)}</dd>
              </div>
              <div>
                <dt className="text-xs text-slate-600">Latency</dt>
                <dd>{result.latencyMs} ms</dd>
              </div>
              <div>
                <dt className="text-xs text-slate-600">Attempts</dt>
                <dd>{result.attempts}</dd>
              </div>
            </dl>
            {result.warnings.length ? <p className="text-xs text-amber-900">{result.warnings.join(" ")}</p> : null}
            {datasets.length ? (
              <div className="mt-2 flex flex-col gap-2 rounded-md border border-slate-200 p-3" data-testid="save-case">
                <p className="text-sm font-medium text-slate-800">Save this case to a dataset</p>
                <Select label="Dataset" id="pg-dataset" value={dataset} onChange={(e) => setDataset(e.target.value)}>
                  {datasets.map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.name}
                    </option>
                  ))}
                </Select>
                <Textarea
                  label="Expected answer"
                  id="pg-expected"
                  rows={3}
                  value={expected}
                  onChange={(e) => setExpected(e.target.value)}
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
