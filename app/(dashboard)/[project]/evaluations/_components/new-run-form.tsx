"use client";

import { ScorersField } from "@/components/evaluation/scorers-field";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { startRunAction } from "../_actions";

// Scorer specs as JSON (the same specs as online evaluation), with presets for the common ones.
const presets: Record<string, object> = {
  "Exact match": { type: "exact_match", weight: 1, threshold: 1, ignoreCase: true, collapseWhitespace: true },
  Contains: { type: "contains", value: "refund", weight: 1 },
  "Valid JSON": { type: "json_valid", weight: 1 },
  Length: { type: "length", min: 1, max: 2000, weight: 0.5 },
  Safety: { type: "safety", weight: 1, threshold: 1 },
  Levenshtein: { type: "levenshtein", weight: 1, threshold: 0.8 },
  "LLM judge": {
    type: "llm_judge",
    rubric: "Is the answer correct and helpful?",
    model: "gpt-4o-mini",
    weight: 2,
    threshold: 0.6,
  },
};

export function NewRunForm({
  slug,
  prompts,
  datasets,
  connections,
  initial,
}: {
  slug: string;
  prompts: Array<{ name: string; latest: number }>;
  datasets: Array<{ id: string; name: string; prompt: string | null; items: number }>;
  connections: Array<{ id: string; name: string }>;
  initial: { prompt: string; version?: number; dataset: string };
}) {
  const router = useRouter();
  const [prompt, setPrompt] = useState(initial.prompt || prompts[0]?.name || "");
  const latest = prompts.find((p) => p.name === prompt)?.latest ?? 1;
  const [version, setVersion] = useState(String(initial.version ?? ""));
  const forPrompt = datasets.filter((d) => !d.prompt || d.prompt === prompt);
  const [dataset, setDataset] = useState(initial.dataset);
  const [scorers, setScorers] = useState(JSON.stringify([presets["Exact match"]], null, 2));
  const [repetitions, setRepetitions] = useState("1");
  const [concurrency, setConcurrency] = useState("4");
  const [connection, setConnection] = useState("");
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const chosenDataset = dataset || forPrompt[0]?.id || "";

  async function start(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    let parsed: unknown;
    try {
      parsed = scorers.trim() ? JSON.parse(scorers) : undefined;
    } catch (err) {
      return setError({ field: "scorers", message: `The scorers are not valid JSON: ${(err as Error).message}` });
    }
    setBusy(true);
    const r = await startRunAction(slug, {
      prompt,
      version: Number(version || latest),
      dataset: chosenDataset,
      scorers: parsed,
      repetitions: Number(repetitions),
      concurrency: Number(concurrency),
      connection: connection || null,
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
          onChange={(e) => setPrompt(e.target.value)}
          error={fieldError("prompt")}
        >
          {prompts.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
            </option>
          ))}
        </Select>
        <Input
          label="Version"
          id="run-version"
          type="number"
          min={1}
          max={latest}
          value={version}
          placeholder={`latest (v${latest})`}
          onChange={(e) => setVersion(e.target.value)}
          error={fieldError("version")}
        />
        <Select
          label="Dataset"
          id="run-dataset"
          value={chosenDataset}
          onChange={(e) => setDataset(e.target.value)}
          error={fieldError("dataset") ?? fieldError("datasetVersion")}
        >
          {forPrompt.length ? null : <option value="">No dataset for this prompt</option>}
          {forPrompt.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name} ({d.items} items)
            </option>
          ))}
        </Select>
      </div>
      <ScorersField
        id="run-scorers"
        label="Scorers (JSON: type, weight, threshold and options)"
        hint="The run's score is the weighted mean over items; an item passes when every scorer reaches its threshold."
        value={scorers}
        onChange={setScorers}
        error={fieldError("scorers")}
        presets={presets}
        minRows={5}
        maxRows={16}
        onInvalid={() => setError({ field: "scorers", message: "Fix the scorers' JSON before adding another." })}
      />
      <div className="grid gap-3 sm:grid-cols-3">
        <Input
          label="Repetitions"
          id="run-repetitions"
          type="number"
          min={1}
          max={20}
          value={repetitions}
          onChange={(e) => setRepetitions(e.target.value)}
          error={fieldError("repetitions")}
        />
        <Input
          label="Calls at once"
          id="run-concurrency"
          type="number"
          min={1}
          max={64}
          value={concurrency}
          onChange={(e) => setConcurrency(e.target.value)}
          error={fieldError("concurrency")}
        />
        <Select
          label="Connection"
          id="run-connection"
          value={connection}
          onChange={(e) => setConnection(e.target.value)}
        >
          <option value="">Project default</option>
          {connections.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </Select>
      </div>
      <div>
        <Button type="submit" disabled={busy || !prompt || !chosenDataset}>
          {busy ? "Starting…" : "Start run"}
        </Button>
      </div>
      {error &&
      !["prompt", "version", "dataset", "datasetVersion", "scorers", "repetitions", "concurrency"].some((f) =>
        fieldError(f),
      ) ? (
        <p role="alert" className="text-sm text-red-800">
          {error.message}
        </p>
      ) : null}
    </form>
  );
}
