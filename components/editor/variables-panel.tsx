"use client";

import { variableTypes, type VariableType } from "@/lib/registry/content";
import { schemaSummary } from "@/lib/registry/schema-shape";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { newKey, type FieldErrors, type VariableDraft } from "./state";
import { Checkbox } from "@/components/forms/checkbox";

const inputClass = "w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={id} className="mt-1 text-xs text-red-700">
      {message}
    </p>
  ) : null;
}

export type DeclareSuggestion = { type: VariableType; required: boolean; reason: string };

function requiredHint(v: VariableDraft): string {
  if (v.defaultText !== "") return "Optional for applications: the default is used when they leave it out.";
  return v.required
    ? "Applications must send it, or they get an error."
    : "Optional: when applications leave it out, it is empty.";
}

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
  variables: VariableDraft[];
  onChange: (v: VariableDraft[]) => void;
  /** Adding or removing a variable, in words, so the page can offer to undo it. */
  onStructural?: (label: string, next: VariableDraft[]) => void;
  errors: FieldErrors;
  undeclared: string[];
  unused: string[];
  readOnly?: boolean;
  /** How the template uses a name: declaring it from the template starts from this. */
  suggest?: (name: string) => DeclareSuggestion;
}) {
  const structural = (label: string, next: VariableDraft[]) =>
    onStructural ? onStructural(label, next) : onChange(next);
  const update = (i: number, patch: Partial<VariableDraft>) =>
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
        <div className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
          <p className="font-medium">The template uses variables that are not declared:</p>
          <div className="mt-2 flex flex-wrap gap-2">
            {undeclared.map((n) => (
              <Button
                key={n}
                type="button"
                size="sm"
                variant="secondary"
                disabled={readOnly}
                onClick={() => declare(n)}
                title={suggest?.(n).reason}
              >
                Declare {n}
              </Button>
            ))}
          </div>
          {suggest ? (
            <p className="mt-2 text-xs text-red-900/80">
              Declared as the template uses them: a name used only inside {"{{#…}}"} or {"{{^…}}"} sections starts as
              optional.
            </p>
          ) : null}
        </div>
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
            <li key={v.key} className="rounded-md border border-slate-200 p-3">
              <div className="grid grid-cols-[1fr_7rem_auto] items-start gap-2">
                <div className="min-w-0">
                  <label htmlFor={`${id}-name`} className="text-xs font-medium text-slate-600">
                    Name
                  </label>
                  <input
                    id={`${id}-name`}
                    className={inputClass}
                    value={v.name}
                    readOnly={readOnly}
                    onChange={(e) => update(i, { name: e.target.value })}
                    aria-invalid={err("name") ? true : undefined}
                    aria-describedby={err("name") ? `${id}-name-error` : undefined}
                  />
                  <FieldError id={`${id}-name-error`} message={err("name")} />
                </div>
                <div>
                  <label htmlFor={`${id}-type`} className="text-xs font-medium text-slate-600">
                    Type
                  </label>
                  <select
                    id={`${id}-type`}
                    className={inputClass}
                    value={v.type}
                    disabled={readOnly}
                    onChange={(e) =>
                      update(i, { type: e.target.value as VariableType, defaultText: "", schema: undefined })
                    }
                  >
                    {variableTypes.map((t) => (
                      <option key={t}>{t}</option>
                    ))}
                  </select>
                </div>
                <div className="pt-5">
                  {readOnly ? null : (
                    <Button
                      type="button"
                      size="sm"
                      variant="ghost"
                      onClick={() =>
                        structural(
                          `Variable ${v.name || i + 1} removed`,
                          variables.filter((_, j) => j !== i),
                        )
                      }
                      aria-label={`Remove variable ${v.name || i + 1}`}
                    >
                      Remove
                    </Button>
                  )}
                </div>
              </div>
              {v.schema ? <SchemaView id={id} schema={v.schema} /> : null}
              <FieldError id={`${id}-schema-error`} message={err("schema")} />
              <div className="mt-2 flex flex-wrap items-center gap-x-3 gap-y-1">
                <Checkbox
                  className="flex items-center gap-1.5 text-sm text-slate-700"
                  boxClassName="size-4"
                  checked={v.required}
                  disabled={readOnly}
                  aria-describedby={`${id}-required-hint`}
                  onCheck={(checked) => update(i, { required: checked })}
                >
                  Required
                </Checkbox>
                {unused.includes(v.name) ? (
                  <Badge tone="amber" title="Declared but not used by the template">
                    Not used
                  </Badge>
                ) : null}
                <p id={`${id}-required-hint`} className="basis-full text-xs text-slate-600">
                  {requiredHint(v)}
                </p>
              </div>
              <div className="mt-2 flex flex-col gap-2">
                <div>
                  <label htmlFor={`${id}-default`} className="text-xs font-medium text-slate-600">
                    Default
                  </label>
                  {v.type === "boolean" ? (
                    <select
                      id={`${id}-default`}
                      className={inputClass}
                      value={v.defaultText}
                      disabled={readOnly}
                      onChange={(e) => update(i, { defaultText: e.target.value })}
                    >
                      <option value="">No default</option>
                      <option value="true">true</option>
                      <option value="false">false</option>
                    </select>
                  ) : (
                    <input
                      id={`${id}-default`}
                      className={`${inputClass} ${v.type === "json" ? "font-mono" : ""}`}
                      value={v.defaultText}
                      readOnly={readOnly}
                      placeholder={
                        v.type === "json" ? '["a", "b"]' : v.type === "image" ? "https://… (no default)" : "No default"
                      }
                      inputMode={v.type === "number" ? "decimal" : undefined}
                      onChange={(e) => update(i, { defaultText: e.target.value })}
                      aria-invalid={err("default") ? true : undefined}
                      aria-describedby={err("default") ? `${id}-default-error` : undefined}
                    />
                  )}
                  <FieldError id={`${id}-default-error`} message={err("default")} />
                </div>
                <div>
                  <label htmlFor={`${id}-desc`} className="text-xs font-medium text-slate-600">
                    Description
                  </label>
                  <textarea
                    id={`${id}-desc`}
                    className={`${inputClass} resize-y`}
                    rows={2}
                    value={v.description}
                    readOnly={readOnly}
                    placeholder="What applications should send, e.g. the customer's first name"
                    onChange={(e) => update(i, { description: e.target.value })}
                  />
                </div>
              </div>
            </li>
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

/** A variable's schema, read-only: its shape in words, the JSON Schema itself folded. */
function SchemaView({ id, schema }: { id: string; schema: Record<string, unknown> }) {
  return (
    <details className="mt-2 text-sm text-slate-700" data-testid={`${id}-schema`}>
      <summary className="cursor-pointer">
        <span className="text-xs font-medium text-slate-600">Shape </span>
        {schemaSummary(schema)}
      </summary>
      <pre className="mt-1 max-h-64 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs">
        {JSON.stringify(schema, null, 2)}
      </pre>
      <p className="text-xs text-slate-600">
        Values are checked against this JSON Schema at resolve. Changing the type removes it.
      </p>
    </details>
  );
}
