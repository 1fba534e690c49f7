"use client";

import { useEffect, useEffectEvent, useState } from "react";
import type { arrangeIssues, ScorerIssue, UncheckedSpec } from "@/lib/scorers/form";
import type { ScorerPreset, ScorerPresetOffer } from "@/lib/scorers/presets";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { ScorerRow } from "./scorer-row";

export type Row = { key: number; spec: UncheckedSpec };

/** What the server's check says about the list: asked a moment after the last change, an older list's answer dropped. */
export function useScorerCheck(
  value: UncheckedSpec[],
  check?: (list: UncheckedSpec[]) => Promise<ScorerIssue[] | null>,
) {
  const [issues, setIssues] = useState<ScorerIssue[]>([]);
  const runCheck = useEffectEvent((list: UncheckedSpec[]) => check?.(list) ?? Promise.resolve(null));
  useEffect(() => {
    let stale = false;
    const timer = setTimeout(() => {
      void runCheck(value).then((found) => {
        if (!stale && found) setIssues(found);
      });
    }, 350);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [value]);
  return issues;
}

/** The presets to start from, the undo of the last one chosen, and the offer's note. */
export function PresetPicker({
  id,
  presets,
  chosen,
  onChoose,
  onUndo,
}: {
  id: string;
  presets: ScorerPresetOffer;
  chosen: ScorerPreset | undefined;
  onChoose: (presetId: string) => void;
  /** Brings back the list a preset replaced, when one did. */
  onUndo: (() => void) | null;
}) {
  return (
    <>
      <div className="flex flex-wrap items-end gap-2">
        <div className="min-w-0 flex-1">
          <Select
            label="Start from"
            id={`${id}-preset`}
            value={chosen?.id ?? ""}
            onValue={onChoose}
            hint={chosen?.description}
            className="w-full"
            options={presets.presets.map((p) => ({ value: p.id, label: p.label }))}
          >
            {chosen ? null : <option value="">Your own list</option>}
          </Select>
        </div>
        {onUndo ? (
          <Button type="button" size="sm" variant="secondary" onClick={onUndo}>
            Undo: bring back my list
          </Button>
        ) : null}
      </div>
      {presets.note ? (
        <p className="text-xs text-slate-600" data-testid="scorer-presets-note">
          {presets.note}
        </p>
      ) : null}
    </>
  );
}

/** The rows of the form view, each with its problems at its field. */
export function ScorerRows({
  id,
  rows,
  connections,
  judgeModel,
  withExpected,
  arranged,
  onRow,
  onMove,
  onRemove,
}: {
  id: string;
  rows: Row[];
  connections: Array<{ id: string; name: string }>;
  judgeModel: string;
  withExpected: boolean;
  arranged: ReturnType<typeof arrangeIssues>;
  onRow: (index: number, spec: UncheckedSpec) => void;
  onMove: (index: number, delta: number) => void;
  onRemove: (index: number) => void;
}) {
  return rows.length ? (
    <ol className="flex flex-col gap-3" aria-label="Scorers">
      {rows.map((r, i) => (
        <ScorerRow
          key={r.key}
          id={`${id}-${r.key}`}
          index={i}
          count={rows.length}
          spec={r.spec}
          connections={connections}
          judgeModel={judgeModel}
          withExpected={withExpected}
          fieldError={(k) => arranged.field(i, k)}
          rowErrors={arranged.row(i)}
          onChange={(spec) => onRow(i, spec)}
          onMove={(delta) => onMove(i, delta)}
          onRemove={() => onRemove(i)}
        />
      ))}
    </ol>
  ) : (
    <p className="text-sm text-slate-600">No scorers yet.</p>
  );
}

/** The problems not shown at a row's field: the list's own, and the server's refusal. */
export function ProblemList({ problems }: { problems: string[] }) {
  if (!problems.length) return null;
  return (
    <ul role="alert" className="text-sm text-red-800" data-testid="scorer-problems">
      {problems.map((m, i) => (
        <li key={i}>{m}</li>
      ))}
    </ul>
  );
}

/** The switch between the form and the JSON view, and what the form dropped when the JSON was not valid. */
export function JsonToggle({
  asJson,
  dropped,
  onToggle,
}: {
  asJson: boolean;
  dropped: string | null;
  onToggle: () => void;
}) {
  return (
    <>
      <div className="flex flex-wrap gap-2">
        <Button type="button" size="sm" variant="secondary" aria-pressed={asJson} onClick={onToggle}>
          {asJson ? "Edit in the form" : "Edit as JSON"}
        </Button>
      </div>
      {dropped && !asJson ? (
        <p className="text-xs text-amber-800" data-testid="json-dropped">
          The JSON was not valid ({dropped}); the form shows the last valid list.
        </p>
      ) : null}
    </>
  );
}

/** The list as JSON, the advanced view of the same list. */
export function ScorersJsonField({
  id,
  text,
  error,
  onText,
}: {
  id: string;
  text: string;
  error: string | null;
  onText: (text: string) => void;
}) {
  return (
    <Textarea
      label="Scorers as JSON"
      id={`${id}-json`}
      className="font-mono text-xs"
      rows={Math.min(24, Math.max(6, text.split("\n").length + 1))}
      value={text}
      error={error ?? undefined}
      hint="A list of scorer specs: type, name, weight, threshold and the type's options."
      onChange={(e) => onText(e.target.value)}
    />
  );
}
