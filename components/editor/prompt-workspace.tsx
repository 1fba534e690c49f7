"use client";

import { useCallback, useMemo, type ReactNode } from "react";
import { suggestDeclaration } from "@/lib/registry/templates/suggest";
import { MessagesEditor } from "./messages-editor";
import { ConfigForm } from "./config-form";
import { ExamplesPanel } from "./examples-panel";
import { PreviewPanel } from "./preview-panel";
import { SkillWorkspace } from "./skill-workspace";
import { TemplateEditor } from "./template-editor";
import { UndoBar } from "./undo-bar";
import { VariablesPanel } from "./variables-panel";
import { imageVariablesOf, piecesOf, type Workspace } from "./use-workspace";

function Panel({ title, id, children, aside }: { title: string; id: string; children: ReactNode; aside?: ReactNode }) {
  return (
    <section aria-labelledby={id} className="rounded-lg border border-slate-200 bg-white shadow-sm">
      <div className="flex items-center justify-between gap-2 border-b border-slate-100 px-4 py-2.5">
        <h2 id={id} className="text-sm font-semibold text-slate-900">
          {title}
        </h2>
        {aside}
      </div>
      <div className="p-4">{children}</div>
    </section>
  );
}

/**
 * The editing surface shared by "new prompt", "edit" and draft copies: template editor(s), variables,
 * model settings and a live preview; for a skill, its file tree and the editor of one file. The page around it
 * owns saving.
 */
export function PromptWorkspace({
  ws,
  promptNames,
  readOnly = false,
  header,
}: {
  ws: Workspace;
  promptNames: string[];
  readOnly?: boolean;
  header?: ReactNode;
}) {
  const { state, setState, diagnostics, errors } = ws;
  const stateVars = state.variables;
  const declared = diagnostics.graph.declared;
  const completion = useMemo(
    () => ({
      variables: () => [
        ...stateVars.filter((v) => v.name).map((v) => ({ name: v.name, type: v.type, description: v.description })),
        ...Object.entries(declared).flatMap(([p, vs]) =>
          vs.map((v) => ({ name: v.name, type: `${v.type} · from ${p}`, description: v.description })),
        ),
      ],
      partials: () => promptNames,
    }),
    [stateVars, declared, promptNames],
  );
  const errorCount = Object.values(diagnostics.markers)
    .flat()
    .filter((m) => m.severity === "error").length;
  const suggest = useCallback(
    (name: string) =>
      imageVariablesOf(state).includes(name)
        ? { type: "image" as const, required: true, reason: "An image part of a message uses it." }
        : suggestDeclaration(
            piecesOf(state).map((p) => p.text),
            name,
          ),
    [state],
  );

  if (state.type === "skill")
    return (
      <>
        {header}
        <SkillWorkspace ws={ws} readOnly={readOnly} />
      </>
    );
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-12">
      <div className="flex min-w-0 flex-col gap-4 lg:col-span-7">
        <Panel
          title={state.type === "text" ? "Template" : "Messages"}
          id="ws-template"
          aside={
            <span className="text-xs text-slate-600">
              {errorCount ? (
                <span className="font-medium text-red-700">
                  {errorCount} problem{errorCount === 1 ? "" : "s"} marked ·{" "}
                </span>
              ) : null}
              Type {"{{"} for variables, {"{{>"} for shared snippets
            </span>
          }
        >
          {header}
          {state.type === "text" ? (
            <TemplateEditor
              label="Prompt template"
              value={state.text}
              onChange={(text) => setState((s) => ({ ...s, text }))}
              markers={diagnostics.markers.template}
              completion={completion}
              minHeight={220}
              readOnly={readOnly}
            />
          ) : (
            <MessagesEditor
              messages={state.messages}
              onChange={(update) => setState((s) => ({ ...s, messages: update(s.messages) }))}
              onStructural={(label, next) => ws.structural("messages", label, next)}
              markers={diagnostics.markers}
              completion={completion}
              readOnly={readOnly}
              errors={errors}
            />
          )}
          {errors.template ? <p className="mt-2 text-xs text-red-700">{errors.template}</p> : null}
        </Panel>
        <Panel title="Preview" id="ws-preview">
          <PreviewPanel content={ws.content} graph={diagnostics.graph} blocked={ws.problems[0]} />
        </Panel>
      </div>
      <div className="flex min-w-0 flex-col gap-4 lg:col-span-5">
        <Panel title="Variables" id="ws-variables">
          <VariablesPanel
            variables={state.variables}
            onChange={(variables) => setState((s) => ({ ...s, variables }))}
            onStructural={(label, next) => ws.structural("variables", label, next)}
            errors={errors}
            undeclared={diagnostics.undeclared}
            unused={diagnostics.unused}
            readOnly={readOnly}
            suggest={suggest}
          />
        </Panel>
        <Panel title="Model settings" id="ws-config">
          <ConfigForm
            config={state.config}
            onChange={(config) => setState((s) => ({ ...s, config }))}
            errors={errors}
            readOnly={readOnly}
          />
        </Panel>
        <Panel title="Few-shot examples" id="ws-examples">
          <ExamplesPanel
            examples={state.examples}
            onChange={(examples) => setState((s) => ({ ...s, examples }))}
            errors={errors}
            readOnly={readOnly}
          />
        </Panel>
      </div>
      {readOnly ? null : <UndoBar stack={ws.undoStack} onUndo={ws.undo} />}
    </div>
  );
}
