"use client";

import type { NewRunFormData } from "@/lib/evaluation/runs/form-data";
import type { Field } from "@/components/forms/use-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

/** How often each item runs, and how many model calls go at once. */
const countFields = [
  { key: "repetitions", label: "Repetitions", id: "run-repetitions", max: 20 },
  { key: "concurrency", label: "Calls at once", id: "run-concurrency", max: 64 },
] as const;

type Counts = { repetitions: string; concurrency: string };

/** How the run goes: repetitions, calls at once, the model connection, and a baseline run for a pairwise judge. */
export function RunSettingsFields({
  counts,
  onCounts,
  connections,
  connection,
  baselines,
  baseline,
  fieldError,
}: {
  counts: Counts;
  onCounts: (update: (counts: Counts) => Counts) => void;
  connections: NewRunFormData["connections"];
  connection: Field;
  /** The runs on the dataset chosen. */
  baselines: NewRunFormData["baselines"];
  baseline: Field;
  fieldError: (field: string) => string | undefined;
}) {
  return (
    <>
      <div className="grid gap-3 sm:grid-cols-3">
        {countFields.map(({ key, ...f }) => (
          <Input
            key={key}
            {...f}
            type="number"
            min={1}
            value={counts[key]}
            onValue={(v) => onCounts((c) => ({ ...c, [key]: v }))}
            error={fieldError(key)}
          />
        ))}
        <Select
          label="Connection"
          id="run-connection"
          {...connection}
          options={connections.map((c) => ({ value: c.id, label: c.name }))}
        >
          <option value="">Project default</option>
        </Select>
      </div>
      <Select
        label="Baseline run (for a pairwise judge)"
        id="run-baseline"
        {...baseline}
        error={fieldError("baseline")}
        options={baselines.map((b) => ({ value: b.id, label: b.label }))}
      >
        <option value="">None</option>
      </Select>
    </>
  );
}
