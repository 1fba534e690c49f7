"use client";

import { useState } from "react";
import {
  arrangeIssues,
  move,
  parseScorersJson,
  sameList,
  scorersToJson,
  starterSpec,
  type ScorerIssue,
  type UncheckedSpec,
} from "@/lib/scorers/form";
import type { ScorerPresetOffer } from "@/lib/scorers/presets";
import { Button } from "@/components/ui/button";
import {
  JsonToggle,
  PresetPicker,
  ProblemList,
  ScorerRows,
  ScorersJsonField,
  useScorerCheck,
  type Row,
} from "./scorer-list-parts";

/** Rows for `list`, keeping the key of every spec object already shown, so focus and half-typed text follow a row. */
function rowsFor(list: readonly UncheckedSpec[], previous: readonly Row[]): Row[] {
  let next = Math.max(-1, ...previous.map((r) => r.key)) + 1;
  const used = new Set<number>();
  return list.map((spec) => {
    const old = previous.find((r) => r.spec === spec && !used.has(r.key));
    const key = old ? old.key : next++;
    used.add(key);
    return { key, spec };
  });
}

/**
 * A list of scorer specs edited in a form: per row the type, its options, weight and pass mark; rows
 * added, removed and reordered; presets to start from; "Edit as JSON" as the advanced view of the same
 * list. `check` (the server's full check) names problems at their row and option while someone types.
 */
export function ScorerListEditor({
  id,
  label,
  hint,
  value,
  onChange,
  presets,
  connections = [],
  judgeModel = "gpt-4o-mini",
  check,
  error,
  onJsonError,
  withExpected = true,
}: {
  id: string;
  label: string;
  hint?: string;
  value: UncheckedSpec[];
  onChange: (list: UncheckedSpec[]) => void;
  presets?: ScorerPresetOffer | null;
  connections?: Array<{ id: string; name: string }>;
  judgeModel?: string;
  check?: (list: UncheckedSpec[]) => Promise<ScorerIssue[] | null>;
  /** The server's refusal on submit, about the list as a whole. */
  error?: string;
  /** Told when the JSON view holds text that is not a valid list (null again once it is, or dropped). */
  onJsonError?: (message: string | null) => void;
  /** Whether the scored answers come with expected answers (dataset items: yes; online answers: no). */
  withExpected?: boolean;
}) {
  const chosen = presets?.presets.find((p) => sameList(p.scorers, value));
  const [rows, setRows] = useState<Row[]>(() => rowsFor(value, []));
  const current = rows.length === value.length && rows.every((r, i) => r.spec === value[i]);
  if (!current) setRows(rowsFor(value, rows));
  const [asJson, setAsJson] = useState(false);
  const [text, setText] = useState(() => scorersToJson(value));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [dropped, setDropped] = useState<string | null>(null);
  const [replaced, setReplaced] = useState<UncheckedSpec[] | null>(null);
  // The JSON view follows changes made elsewhere (a preset, another dataset's default), unless it holds
  // text being fixed.
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    const shown = parseScorersJson(text);
    if (!jsonError && !(shown.ok && sameList(shown.list, value))) setText(scorersToJson(value));
  }

  const issues = useScorerCheck(value, check);

  const emit = (list: UncheckedSpec[]) => {
    setRows(rowsFor(list, rows));
    onChange(list);
  };
  const jsonState = (message: string | null) => {
    setJsonError(message);
    onJsonError?.(message);
  };
  const showJson = (on: boolean) => {
    if (on) setText(scorersToJson(value));
    else if (jsonError) {
      setDropped(jsonError);
      jsonState(null);
    }
    setAsJson(on);
  };
  const choose = (presetId: string) => {
    const preset = presets?.presets.find((p) => p.id === presetId);
    if (!preset) return;
    setReplaced(chosen ? null : value);
    setText(scorersToJson(preset.scorers as UncheckedSpec[]));
    setDropped(null);
    jsonState(null);
    emit(preset.scorers as UncheckedSpec[]);
  };

  const arranged = arrangeIssues(issues, value);
  // In the JSON view there are no rows to show problems at: each says which scorer it is about.
  const problems = [
    ...(asJson ? issues.flatMap((x) => (x.row === null ? [] : [`Scorer ${x.row + 1}: ${x.message}`])) : []),
    ...arranged.general,
    ...(error ? [error] : []),
  ];

  return (
    // min-w-0: a fieldset is at least as wide as its widest content (a select's longest option) by default.
    <fieldset className="flex min-w-0 flex-col gap-3" id={id}>
      <legend className="mb-1 text-sm font-medium text-slate-700">{label}</legend>
      {hint ? <p className="text-xs text-slate-500">{hint}</p> : null}
      {presets ? (
        <PresetPicker
          id={id}
          presets={presets}
          chosen={chosen}
          onChoose={choose}
          onUndo={
            replaced
              ? () => {
                  emit(replaced);
                  setReplaced(null);
                }
              : null
          }
        />
      ) : null}
      <JsonToggle asJson={asJson} dropped={dropped} onToggle={() => showJson(!asJson)} />
      {asJson ? (
        <ScorersJsonField
          id={id}
          text={text}
          error={jsonError}
          onText={(t) => {
            setText(t);
            setDropped(null);
            const parsed = parseScorersJson(t);
            if (parsed.ok) {
              jsonState(null);
              emit(parsed.list);
            } else jsonState(`${parsed.message} The form keeps the last valid list.`);
          }}
        />
      ) : (
        <>
          <ScorerRows
            id={id}
            rows={rows}
            connections={connections}
            judgeModel={judgeModel}
            withExpected={withExpected}
            arranged={arranged}
            onRow={(i, spec) => emit(value.map((s, j) => (j === i ? spec : s)))}
            onMove={(i, delta) => emit(move(value, i, delta))}
            onRemove={(i) => emit(value.filter((_, j) => j !== i))}
          />
          <div>
            <Button
              type="button"
              size="sm"
              variant="secondary"
              onClick={() => emit([...value, starterSpec("safety", judgeModel)])}
            >
              Add a scorer
            </Button>
          </div>
        </>
      )}
      <ProblemList problems={problems} />
    </fieldset>
  );
}
