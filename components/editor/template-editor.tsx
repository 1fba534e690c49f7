"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import Editor, { type Monaco } from "@monaco-editor/react";
import type { editor } from "monaco-editor";
import type { Marker } from "./diagnostics";
import { LANGUAGE, THEME, registerCompletionSource, setupMonaco, type CompletionSource } from "./monaco-setup";

const severityOf = (monaco: Monaco, s: Marker["severity"]) => (s === "error" ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning);

/**
 * One Mustache template in Monaco: highlighting, autocomplete of declared variables and partials,
 * and markers from the shared validation. Grows with its content between minHeight and maxHeight.
 */
export function TemplateEditor({
  value,
  onChange,
  markers = [],
  completion,
  label,
  minHeight = 120,
  maxHeight = 560,
  readOnly = false,
}: {
  value: string;
  onChange?: (value: string) => void;
  markers?: Marker[];
  completion?: CompletionSource;
  label: string;
  minHeight?: number;
  maxHeight?: number;
  readOnly?: boolean;
}) {
  const [height, setHeight] = useState(minHeight);
  const editorRef = useRef<editor.IStandaloneCodeEditor | null>(null);
  const monacoRef = useRef<Monaco | null>(null);
  const completionRef = useRef(completion);
  useEffect(() => {
    completionRef.current = completion;
  }, [completion]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    const monaco = monacoRef.current;
    if (!model || !monaco) return;
    monaco.editor.setModelMarkers(
      model,
      "lectern",
      markers.map((m) => ({ startLineNumber: m.line, startColumn: m.column, endLineNumber: m.endLine, endColumn: m.endColumn, message: m.message, severity: severityOf(monaco, m.severity) })),
    );
  }, [markers, height]);

  // Stable options: the wrapper re-applies options whenever the object changes.
  const options = useMemo(
    (): editor.IStandaloneEditorConstructionOptions => ({
      ariaLabel: label,
      readOnly,
      minimap: { enabled: false },
      wordWrap: "on",
      lineNumbers: "on",
      lineNumbersMinChars: 3,
      scrollBeyondLastLine: false,
      fontSize: 13,
      renderLineHighlight: "none",
      automaticLayout: true,
      overviewRulerLanes: 0,
      hideCursorInOverviewRuler: true,
      fixedOverflowWidgets: true,
      quickSuggestions: { other: true, comments: false, strings: true },
      suggestOnTriggerCharacters: true,
      tabSize: 2,
      scrollbar: { alwaysConsumeMouseWheel: false },
      padding: { top: 8, bottom: 8 },
    }),
    [label, readOnly],
  );

  return (
    <div className="overflow-hidden rounded-md border border-slate-300 focus-within:border-brand-600 focus-within:ring-2 focus-within:ring-brand-600/30" style={{ height }}>
      <Editor
        value={value}
        language={LANGUAGE}
        theme={THEME}
        beforeMount={setupMonaco}
        onMount={(ed, monaco) => {
          editorRef.current = ed;
          monacoRef.current = monaco;
          const model = ed.getModel();
          const unregister = model
            ? registerCompletionSource(model, {
                variables: () => completionRef.current?.variables() ?? [],
                partials: () => completionRef.current?.partials() ?? [],
              })
            : undefined;
          const fit = () => setHeight(Math.min(maxHeight, Math.max(minHeight, ed.getContentHeight() + 2)));
          ed.onDidContentSizeChange(fit);
          ed.onDidDispose(() => unregister?.());
          fit();
        }}
        onChange={(v) => onChange?.(v ?? "")}
        loading={<span className="p-3 text-sm text-slate-500">Loading editor…</span>}
        options={options}
      />
    </div>
  );
}
