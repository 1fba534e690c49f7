"use client";

import { Button } from "@/components/ui/button";
import { newKey, type ExampleEdit, type FieldErrors } from "./state";

const inputClass = "w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 font-mono text-xs";

/** Few-shot examples stored with the version: variable values in, the ideal output out. */
export function ExamplesPanel({
  examples,
  onChange,
  errors,
  readOnly = false,
}: {
  examples: ExampleEdit[];
  onChange: (e: ExampleEdit[]) => void;
  errors: FieldErrors;
  readOnly?: boolean;
}) {
  const update = (i: number, patch: Partial<ExampleEdit>) =>
    onChange(examples.map((e, j) => (j === i ? { ...e, ...patch } : e)));
  return (
    <div className="flex flex-col gap-3">
      {examples.length === 0 ? (
        <p className="text-sm text-slate-600">
          No examples. Add input/output pairs your application can send as few-shot messages.
        </p>
      ) : null}
      {examples.map((e, i) => {
        const inputError = errors[`examples.${i}.input`];
        return (
          <fieldset key={e.key} className="rounded-md border border-slate-200 p-3">
            <legend className="px-1 text-xs font-medium text-slate-700">Example {i + 1}</legend>
            <label htmlFor={`ex-${e.key}-in`} className="text-xs font-medium text-slate-700">
              Input (JSON object of variable values)
            </label>
            <textarea
              id={`ex-${e.key}-in`}
              className={`${inputClass} ${inputError ? "border-red-500" : ""}`}
              rows={3}
              value={e.inputText}
              readOnly={readOnly}
              aria-invalid={inputError ? true : undefined}
              aria-describedby={inputError ? `ex-${e.key}-in-error` : undefined}
              onChange={(ev) => update(i, { inputText: ev.target.value })}
            />
            {inputError ? (
              <p id={`ex-${e.key}-in-error`} className="mt-1 text-xs text-red-700">
                {inputError}
              </p>
            ) : null}
            <label htmlFor={`ex-${e.key}-out`} className="mt-2 block text-xs font-medium text-slate-700">
              Ideal output
            </label>
            <textarea
              id={`ex-${e.key}-out`}
              className={inputClass}
              rows={3}
              value={e.output}
              readOnly={readOnly}
              onChange={(ev) => update(i, { output: ev.target.value })}
            />
            <div className="mt-2 text-right">
              <Button
                type="button"
                size="sm"
                variant="ghost"
                disabled={readOnly}
                onClick={() => onChange(examples.filter((_, j) => j !== i))}
              >
                Remove example {i + 1}
              </Button>
            </div>
          </fieldset>
        );
      })}
      <div>
        <Button
          type="button"
          size="sm"
          variant="secondary"
          disabled={readOnly}
          onClick={() => onChange([...examples, { key: newKey(), inputText: "{}", output: "" }])}
        >
          + Add example
        </Button>
      </div>
    </div>
  );
}
