"use client";

import type { ReactNode } from "react";
import { variableTypes, type VariableType } from "@/lib/registry/content";
import { schemaSummary } from "@/lib/registry/templates/schema-shape";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/forms/checkbox";
import type { VariableEdit } from "./state";
import type { DeclareSuggestion } from "./variables-panel";

const inputClass = "w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={id} className="mt-1 text-xs text-red-700">
      {message}
    </p>
  ) : null;
}

/** A row's field: its small label above the control (`children`, whose id is `htmlFor`). */
function RowField({
  htmlFor,
  label,
  className,
  children,
}: {
  htmlFor: string;
  label: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={className}>
      <label htmlFor={htmlFor} className="text-xs font-medium text-slate-600">
        {label}
      </label>
      {children}
    </div>
  );
}

function requiredHint(v: VariableEdit): string {
  if (v.defaultText !== "") return "Optional for applications: the default is used when they leave it out.";
  return v.required
    ? "Applications must send it, or they get an error."
    : "Optional: when applications leave it out, it is empty.";
}

/** The names the template uses without declaring them, each with its button to declare it. */
export function UndeclaredVariables({
  undeclared,
  readOnly,
  suggest,
  onDeclare,
}: {
  undeclared: string[];
  readOnly: boolean;
  suggest?: (name: string) => DeclareSuggestion;
  onDeclare: (name: string) => void;
}) {
  return (
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
            onClick={() => onDeclare(n)}
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
  );
}

/** One declared variable: name, type, required, default and description; removable unless read-only. */
export function VariableRow({
  id,
  v,
  index: i,
  err,
  readOnly,
  unused,
  onUpdate,
  onRemove,
}: {
  id: string;
  v: VariableEdit;
  index: number;
  err: (field: string) => string | undefined;
  readOnly: boolean;
  /** Declared but not used by the template. */
  unused: boolean;
  onUpdate: (patch: Partial<VariableEdit>) => void;
  onRemove: () => void;
}) {
  return (
    <li className="rounded-md border border-slate-200 p-3">
      <div className="grid grid-cols-[1fr_7rem_auto] items-start gap-2">
        <RowField htmlFor={`${id}-name`} label="Name" className="min-w-0">
          <input
            id={`${id}-name`}
            className={inputClass}
            value={v.name}
            readOnly={readOnly}
            onChange={(e) => onUpdate({ name: e.target.value })}
            aria-invalid={err("name") ? true : undefined}
            aria-describedby={err("name") ? `${id}-name-error` : undefined}
          />
          <FieldError id={`${id}-name-error`} message={err("name")} />
        </RowField>
        <RowField htmlFor={`${id}-type`} label="Type">
          <select
            id={`${id}-type`}
            className={inputClass}
            value={v.type}
            disabled={readOnly}
            onChange={(e) => onUpdate({ type: e.target.value as VariableType, defaultText: "", schema: undefined })}
          >
            {variableTypes.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </RowField>
        <div className="pt-5">
          {readOnly ? null : (
            <Button
              type="button"
              size="sm"
              variant="ghost"
              onClick={onRemove}
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
          onCheck={(checked) => onUpdate({ required: checked })}
        >
          Required
        </Checkbox>
        {unused ? (
          <Badge tone="amber" title="Declared but not used by the template">
            Not used
          </Badge>
        ) : null}
        <p id={`${id}-required-hint`} className="basis-full text-xs text-slate-600">
          {requiredHint(v)}
        </p>
      </div>
      <div className="mt-2 flex flex-col gap-2">
        <VariableDefault
          id={id}
          v={v}
          readOnly={readOnly}
          error={err("default")}
          onDefault={(defaultText) => onUpdate({ defaultText })}
        />
        <RowField htmlFor={`${id}-desc`} label="Description">
          <textarea
            id={`${id}-desc`}
            className={`${inputClass} resize-y`}
            rows={2}
            value={v.description}
            readOnly={readOnly}
            placeholder="What applications should send, e.g. the customer's first name"
            onChange={(e) => onUpdate({ description: e.target.value })}
          />
        </RowField>
      </div>
    </li>
  );
}

/** A variable's default, by its type (a boolean's is chosen, the others typed). */
function VariableDefault({
  id,
  v,
  readOnly,
  error,
  onDefault,
}: {
  id: string;
  v: VariableEdit;
  readOnly: boolean;
  error: string | undefined;
  onDefault: (text: string) => void;
}) {
  return (
    <RowField htmlFor={`${id}-default`} label="Default">
      {v.type === "boolean" ? (
        <select
          id={`${id}-default`}
          className={inputClass}
          value={v.defaultText}
          disabled={readOnly}
          onChange={(e) => onDefault(e.target.value)}
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
          placeholder={v.type === "json" ? '["a", "b"]' : v.type === "image" ? "https://… (no default)" : "No default"}
          inputMode={v.type === "number" ? "decimal" : undefined}
          onChange={(e) => onDefault(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-default-error` : undefined}
        />
      )}
      <FieldError id={`${id}-default-error`} message={error} />
    </RowField>
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
