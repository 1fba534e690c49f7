"use client";

import type { ReactNode } from "react";
import type { PlaygroundResult } from "@/lib/evaluation/playground";
import type { Field } from "@/components/forms/use-field";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { PlaygroundRun } from "./playground-result";

export type SecondRun = { ok: true; data: PlaygroundResult } | { ok: false; message: string };

/** The run's output, beside the second run's when there is one, then whatever follows (saving the case). */
export function PlaygroundOutput({
  result,
  second,
  children,
}: {
  result: PlaygroundResult | null;
  second: SecondRun | null;
  children?: ReactNode;
}) {
  return (
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
          {children}
        </div>
      ) : (
        <p className="text-sm text-slate-600">
          Fill in the variables and run this version against its model. Nothing is saved except an audit entry with the
          call&apos;s tokens and cost.
        </p>
      )}
    </div>
  );
}

/** Saves the inputs of the last run, with its output as the expected answer (editable), to a dataset. */
export function SaveCase({
  datasets,
  dataset,
  onDataset,
  expected,
  saved,
  onSave,
}: {
  datasets: Array<{ id: string; name: string }>;
  dataset: string;
  onDataset: (id: string) => void;
  expected: Field;
  saved: string | null;
  onSave: () => void;
}) {
  if (!datasets.length) return null;
  return (
    <div className="mt-2 flex flex-col gap-2 rounded-md border border-slate-200 p-3" data-testid="save-case">
      <p className="text-sm font-medium text-slate-800">Save this case to a dataset</p>
      <Select
        label="Dataset"
        id="pg-dataset"
        value={dataset}
        onValue={onDataset}
        options={datasets.map((d) => ({ value: d.id, label: d.name }))}
      />
      <Textarea
        label="Expected answer"
        id="pg-expected"
        rows={3}
        {...expected}
        hint="The output, as a reviewed good answer; edit it when it is not."
      />
      <div>
        <Button type="button" size="sm" variant="secondary" onClick={onSave} disabled={!dataset}>
          Save to dataset
        </Button>
      </div>
      {saved ? (
        <p role="status" className="text-sm text-slate-700">
          {saved}
        </p>
      ) : null}
    </div>
  );
}
