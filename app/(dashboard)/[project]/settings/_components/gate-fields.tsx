"use client";

import { useState } from "react";
import type { UncheckedSpec } from "@/lib/scorers/form";
import type { ScorerPresetOffer } from "@/lib/scorers/presets";
import { ScorerListEditor } from "@/components/evaluation/scorer-list-editor";
import { Input } from "@/components/ui/input";
import { checkScorersAction } from "../../_actions";

export type GateChoice = { version: number; presets: ScorerPresetOffer };

/** An evaluation gate's items (a pinned dataset version, or the current items) and its own scorers. */
export function GateFields({
  slug,
  id,
  environment,
  dataset,
  datasetVersion,
  scorers,
  onChange,
  choice,
  connections,
  judgeModel,
  error,
  onJsonError,
}: {
  slug: string;
  id: string;
  environment: string;
  dataset: string;
  datasetVersion: number | null;
  scorers: UncheckedSpec[];
  onChange: (patch: { datasetVersion?: number | null; scorers?: UncheckedSpec[] }) => void;
  /** The gate dataset's current version and scorer presets, when the name is one of the project's datasets. */
  choice: GateChoice | undefined;
  connections: Array<{ id: string; name: string }>;
  judgeModel: string | undefined;
  error: { field?: string; message: string } | null;
  onJsonError: (message: string | null) => void;
}) {
  // Open when the user opens it, and whenever a new error names one of its fields.
  const [open, setOpen] = useState(Boolean(error));
  const [shownError, setShownError] = useState(error);
  if (error !== shownError) {
    setShownError(error);
    if (error) setOpen(true);
  }
  const about = (prefix: string) =>
    error?.field === prefix || error?.field?.startsWith(`${prefix}.`) ? error.message : undefined;
  const items = datasetVersion === null ? "current items" : `items of version ${datasetVersion}`;
  return (
    <details
      className="min-w-0 rounded-md bg-slate-50 px-3 py-2 md:col-span-3"
      open={open}
      onToggle={(e) => setOpen(e.currentTarget.open)}
    >
      <summary className="cursor-pointer text-sm font-medium text-slate-800">
        Gate scorers and items ({scorers.length} scorer{scorers.length === 1 ? "" : "s"}, {items})
      </summary>
      <div className="mt-3 flex flex-col gap-4">
        <p className="max-w-prose text-sm text-slate-700" data-testid={`gate-rerun-note-${environment}`}>
          A version passes {environment}&apos;s gate only with a run made with exactly these scorers on these items.
          Changing the scorers, the pinned version, or (when nothing is pinned) the dataset&apos;s items means every
          version needs a new run before it can pass.
        </p>
        <div className="max-w-xs">
          <Input
            label="Dataset version"
            id={`${id}-pin`}
            type="number"
            min={1}
            max={choice?.version}
            value={datasetVersion ?? ""}
            placeholder="current items"
            onChange={(e) => onChange({ datasetVersion: e.target.value === "" ? null : Number(e.target.value) })}
            error={about("evaluationGate.datasetVersion")}
            hint={`Empty: ${dataset}'s current items${choice ? ` (now version ${choice.version})` : ""}, whatever they become.`}
          />
        </div>
        <ScorerListEditor
          id={`${id}-scorers`}
          label={`Scorers of ${environment}'s gate`}
          value={scorers}
          onChange={(list) => onChange({ scorers: list })}
          presets={choice?.presets}
          connections={connections}
          judgeModel={judgeModel}
          check={(list) => checkScorersAction(slug, { scorers: list }).then((r) => (r.ok ? r.data : null))}
          error={about("evaluationGate.scorers")}
          onJsonError={onJsonError}
        />
      </div>
    </details>
  );
}
