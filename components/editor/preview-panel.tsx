"use client";

import { useMemo, useState } from "react";
import { MessageContent } from "@/components/prompt/message-content";
import type { Content, Variable } from "@/lib/registry/content";
import type { PartialGraph } from "@/lib/registry/templates/partials";
import { renderContent } from "@/lib/registry/templates/template";

const inputClass = "w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

function parseSample(v: Variable, text: string): unknown {
  if (text === "") return undefined;
  if (v.type === "number") return text.trim() === "" ? undefined : Number(text);
  if (v.type === "boolean") return text === "true";
  if (v.type === "json") {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text; // rendered as an invalid_variables error, which explains itself
    }
  }
  return text;
}

/** Renders the working copy with sample values, exactly as the runtime would (partials included). */
export function PreviewPanel({
  content,
  graph,
  blocked,
}: {
  content: Content | null;
  graph: PartialGraph;
  blocked?: string;
}) {
  const [samples, setSamples] = useState<Record<string, string>>({});
  const variables = useMemo(
    () =>
      [...(content?.variables ?? []), ...Object.values(graph.declared).flat()].filter(
        (v, i, all) => all.findIndex((w) => w.name === v.name) === i,
      ),
    [content, graph],
  );
  const result = useMemo(() => {
    if (!content) return { error: blocked ?? "Fix the problems above to see a preview." };
    const values = Object.fromEntries(
      variables.map((v) => [v.name, parseSample(v, samples[v.name] ?? "")]).filter(([, x]) => x !== undefined),
    );
    try {
      return {
        rendered: renderContent(content, values, { partials: graph.partials, declared: graph.declared }).rendered,
      };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }, [content, graph, samples, variables, blocked]);

  return (
    <div className="flex flex-col gap-3">
      {variables.length ? (
        <fieldset className="grid grid-cols-1 gap-2 sm:grid-cols-2">
          <legend className="mb-1 text-xs font-medium text-slate-600">Sample values (empty = use the default)</legend>
          {variables.map((v) => {
            const id = `sample-${v.name}`;
            return (
              <div key={v.name}>
                <label htmlFor={id} className="text-xs text-slate-600">
                  {v.name}{" "}
                  <span className="text-slate-500">
                    ({v.type}
                    {v.required && v.default === undefined ? ", required" : ""})
                  </span>
                </label>
                {v.type === "boolean" ? (
                  <select
                    id={id}
                    className={inputClass}
                    value={samples[v.name] ?? ""}
                    onChange={(e) => setSamples({ ...samples, [v.name]: e.target.value })}
                  >
                    <option value="">{v.default === undefined ? "Not set" : `Default (${String(v.default)})`}</option>
                    <option value="true">true</option>
                    <option value="false">false</option>
                  </select>
                ) : (
                  <input
                    id={id}
                    className={`${inputClass} ${v.type === "json" ? "font-mono" : ""}`}
                    value={samples[v.name] ?? ""}
                    placeholder={v.default === undefined ? "" : JSON.stringify(v.default)}
                    onChange={(e) => setSamples({ ...samples, [v.name]: e.target.value })}
                  />
                )}
              </div>
            );
          })}
        </fieldset>
      ) : null}
      <div aria-live="polite">
        {"error" in result ? (
          <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {result.error}
          </p>
        ) : result.rendered === "" ? (
          <p className="rounded-md border border-dashed border-slate-300 px-3 py-2 text-sm text-slate-600">
            Nothing to preview yet: the preview follows the template as you write it.
          </p>
        ) : typeof result.rendered === "string" ? (
          <pre
            className="max-h-96 overflow-auto whitespace-pre-wrap rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs text-slate-800"
            data-testid="preview-output"
          >
            {result.rendered}
          </pre>
        ) : (
          <ol className="flex flex-col gap-2" data-testid="preview-output">
            {result.rendered?.map((m, i) => (
              <li key={i} className="rounded-md border border-slate-200 bg-slate-50 p-3">
                <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-600">{m.role}</p>
                <MessageContent
                  content={m.content}
                  text={(t) => <pre className="whitespace-pre-wrap font-mono text-xs text-slate-800">{t}</pre>}
                />
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}
