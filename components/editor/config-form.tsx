"use client";

import { useState } from "react";
import { editorWords } from "@/lib/glossary";
import type { ConfigEdit, FieldErrors } from "./state";

const inputClass = "w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: React.ReactNode;
}) {
  return (
    <div>
      <label htmlFor={id} className="text-xs font-medium text-slate-600">
        {label}
      </label>
      {children}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-xs text-red-700">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** Model settings as a form; provider-specific keys are kept in "Other settings". */
export function ConfigForm({
  config,
  onChange,
  errors,
  readOnly = false,
}: {
  config: ConfigEdit;
  onChange: (c: ConfigEdit) => void;
  errors: FieldErrors;
  readOnly?: boolean;
}) {
  const text = (
    key: keyof ConfigEdit,
    label: string,
    opts: {
      hint?: string;
      mono?: boolean;
      multiline?: boolean;
      inputMode?: "decimal" | "numeric";
      placeholder?: string;
    } = {},
  ) => {
    const id = `config-${key}`;
    const error = errors[`config.${key}`];
    const common = {
      id,
      value: config[key],
      readOnly,
      placeholder: opts.placeholder,
      "aria-invalid": error ? true : undefined,
      "aria-describedby": error ? `${id}-error` : opts.hint ? `${id}-hint` : undefined,
      className: `${inputClass} ${opts.mono ? "font-mono text-xs" : ""}`,
    } as const;
    return (
      <Field id={id} label={label} hint={opts.hint} error={error}>
        {opts.multiline ? (
          <textarea {...common} rows={3} onChange={(e) => onChange({ ...config, [key]: e.target.value })} />
        ) : (
          <input
            {...common}
            inputMode={opts.inputMode}
            onChange={(e) => onChange({ ...config, [key]: e.target.value })}
          />
        )}
      </Field>
    );
  };
  const advanced = ["topP", "stop", "responseFormat", "tools", "extra"] as const;
  // Open at first when anything in it is set; after that the reader decides.
  const [opened, setOpened] = useState(() => advanced.some((k) => config[k] !== ""));
  // A problem in a hidden field opens the section (and it stays open while it is fixed).
  if (!opened && advanced.some((k) => errors[`config.${k}`])) setOpened(true);
  return (
    <div className="flex flex-col gap-3">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {text("provider", "Provider", { placeholder: "openai" })}
        {text("model", "Model", { placeholder: "gpt-4o-mini" })}
        {text("temperature", "Temperature", {
          hint: `0 (steady) to 2 (creative). ${editorWords.temperature.explain}`,
          inputMode: "decimal",
        })}
        {text("maxTokens", "Max tokens", { hint: editorWords.maxTokens.explain, inputMode: "numeric" })}
      </div>
      <details
        open={opened || undefined}
        onToggle={(e) => setOpened(e.currentTarget.open)}
        className="group rounded-md border border-slate-200 px-3 py-2"
      >
        <summary className="cursor-pointer text-sm font-medium text-slate-700">
          More settings: top p, stop sequences, response format, tools
        </summary>
        <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2">
          {text("topP", "Top p", { hint: `0 to 1. ${editorWords.topP.explain}`, inputMode: "decimal" })}
          {text("stop", "Stop sequences", { hint: editorWords.stop.explain, multiline: true })}
          <div className="sm:col-span-2">
            {text("responseFormat", "Response format (JSON)", {
              mono: true,
              multiline: true,
              placeholder: '{"type": "json_object"}',
              hint: editorWords.responseFormat.explain,
            })}
          </div>
          <div className="sm:col-span-2">
            {text("tools", "Tools (JSON list)", { mono: true, multiline: true, hint: editorWords.tools.explain })}
          </div>
          <div className="sm:col-span-2">
            {text("extra", "Other settings (JSON object)", {
              mono: true,
              multiline: true,
              hint: "Provider-specific keys such as seed or reasoning_effort.",
            })}
          </div>
        </div>
      </details>
    </div>
  );
}
