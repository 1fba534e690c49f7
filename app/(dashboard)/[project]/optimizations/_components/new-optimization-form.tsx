"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { useField } from "@/components/forms/use-field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { AlertLine } from "@/components/ui/alert-line";
import type { FormError } from "@/components/ui/password-fields";
import { startOptimizationAction } from "../_actions";

type Choice = { id: string; name: string; prompt: string | null; items: number };

/** Starts an optimization of one version: the dataset, the budget, and (optionally) the scorers. */
export function NewOptimizationForm({
  slug,
  prompt,
  version,
  datasets,
}: {
  slug: string;
  prompt: string;
  version: number;
  datasets: Choice[];
}) {
  const router = useRouter();
  const choices = datasets.filter((d) => !d.prompt || d.prompt === prompt);
  const dataset = useField(choices[0]?.id ?? "");
  const calls = useField("200");
  const costUsd = useField("1");
  const scorers = useField("");
  const [error, setError] = useState<FormError>(null);
  const [busy, setBusy] = useState(false);

  async function start(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    let parsed: unknown = undefined;
    if (scorers.value.trim()) {
      try {
        parsed = JSON.parse(scorers.value);
      } catch (x) {
        return setError({ field: "scorers", message: `scorers is not valid JSON: ${(x as Error).message}` });
      }
    }
    setBusy(true);
    const r = await startOptimizationAction(slug, {
      prompt,
      version,
      dataset: dataset.value,
      budget: { calls: Number(calls.value), costUsd: Number(costUsd.value) },
      ...(parsed !== undefined && { scorers: parsed }),
    });
    setBusy(false);
    if (!r.ok) return setError({ message: r.message, field: r.field });
    router.push(`/${slug}/optimizations/${r.data.optimization.id}`);
  }

  const fieldError = (f: string) =>
    error?.field === f || error?.field?.startsWith(`${f}.`) ? error.message : undefined;
  return (
    <form onSubmit={(e) => void start(e)} className="flex flex-col gap-3" aria-label="Start an optimization">
      <div className="grid gap-3 md:grid-cols-3">
        <Select
          label="Dataset"
          id="opt-dataset"
          {...dataset}
          error={fieldError("dataset")}
          hint="Split (seeded) into train and held-out items"
          options={choices.map((d) => ({ value: d.id, label: `${d.name} (${d.items} items)` }))}
        >
          {choices.length ? null : <option value="">No dataset for this prompt</option>}
        </Select>
        <Input
          label="Budget: model calls"
          id="opt-calls"
          type="number"
          min={1}
          {...calls}
          error={fieldError("budget.calls") ?? fieldError("budget")}
          hint="Every call counts: answers, the optimizer's own, judges"
        />
        <Input
          label="Budget: cost (USD)"
          id="opt-cost"
          type="number"
          min={0}
          step="0.01"
          {...costUsd}
          error={fieldError("budget.costUsd")}
        />
      </div>
      <Textarea
        label="Scorers (JSON, optional)"
        id="opt-scorers"
        rows={3}
        {...scorers}
        placeholder='Empty: the gate&apos;s scorers for this dataset. Or e.g. [{"type": "exact_match"}]'
        error={fieldError("scorers")}
      />
      <AlertLine
        message={
          ["dataset", "scorers"].some((f) => fieldError(f)) || error?.field?.startsWith("budget")
            ? undefined
            : error?.message
        }
      />
      <div>
        <Button type="submit" disabled={busy || !dataset.value}>
          {busy ? "Starting…" : "Start optimization"}
        </Button>
      </div>
    </form>
  );
}
