"use client";

import type { VariableType } from "@/lib/registry/content";
import { Button } from "@/components/ui/button";
import { newKey, type FieldErrors, type VariableEdit } from "./state";
import { UndeclaredVariables, VariableRow } from "./variable-row";

export type DeclareSuggestion = { type: VariableType; required: boolean; reason: string };

/** Declared variables: name, type, required, default and description, with usage warnings. */
export function VariablesPanel({
  variables,
  onChange,
  errors,
  undeclared,
  unused,
  readOnly = false,
  suggest,
  onStructural,
}: {
  variables: VariableEdit[];
  onChange: (v: VariableEdit[]) => void;
  /** Adding or removing a variable, in words, so the page can offer to undo it. */
  onStructural?: (label: string, next: VariableEdit[]) => void;
  errors: FieldErrors;
  undeclared: string[];
  unused: string[];
  readOnly?: boolean;
  /** How the template uses a name: declaring it from the template starts from this. */
  suggest?: (name: string) => DeclareSuggestion;
}) {
  const structural = (label: string, next: VariableEdit[]) =>
    onStructural ? onStructural(label, next) : onChange(next);
  const update = (i: number, patch: Partial<VariableEdit>) =>
    onChange(variables.map((v, j) => (j === i ? { ...v, ...patch } : v)));
  const declare = (name: string) => {
    const s = suggest?.(name) ?? { type: "string" as const, required: true, reason: "" };
    structural(`Variable ${name} declared`, [
      ...variables,
      { key: newKey(), name, type: s.type, required: s.required, defaultText: "", description: "" },
    ]);
  };
  return (
    <div className="flex flex-col gap-3">
      {undeclared.length > 0 ? (
        <UndeclaredVariables undeclared={undeclared} readOnly={readOnly} suggest={suggest} onDeclare={declare} />
      ) : null}
      {variables.length === 0 ? (
        <p className="text-sm text-slate-600">
          No variables yet. Write {"{{name}}"} in the template, then declare it here.
        </p>
      ) : null}
      <ul className="flex flex-col gap-3" aria-label="Variables">
        {variables.map((v, i) => {
          const id = `var-${v.key}`;
          const err = (f: string) =>
            errors[`variables.${i}.${f}`] ?? (f === "name" ? errors[`variables.${i}`] : undefined);
          return (
            <VariableRow
              key={v.key}
              id={id}
              v={v}
              index={i}
              err={err}
              readOnly={readOnly}
              unused={unused.includes(v.name)}
              onUpdate={(patch) => update(i, patch)}
              onRemove={() =>
                structural(
                  `Variable ${v.name || i + 1} removed`,
                  variables.filter((_, j) => j !== i),
                )
              }
            />
          );
        })}
      </ul>
      {errors.variables ? <p className="text-xs text-red-700">{errors.variables}</p> : null}
      {readOnly ? null : (
        <div>
          <Button
            type="button"
            size="sm"
            variant="secondary"
            onClick={() =>
              structural("Variable added", [
                ...variables,
                { key: newKey(), name: "", type: "string", required: true, defaultText: "", description: "" },
              ])
            }
          >
            + Add variable
          </Button>
        </div>
      )}
    </div>
  );
}
