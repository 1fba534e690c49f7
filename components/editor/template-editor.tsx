"use client";

import { useEffect, useRef, useState } from "react";
import type { editor } from "monaco-editor";
import type { Marker } from "./diagnostics";
import { EditorSkeleton, LINE_HEIGHT, PADDING, estimateHeight } from "./editor-skeleton";
import { LANGUAGE, THEME, registerCompletionSource, type CompletionSource } from "./monaco-setup";
import { useMonaco } from "./use-monaco";

/**
 * One Mustache template in Monaco: highlighting, autocomplete of declared variables and partials,
 * and markers from the shared validation. Grows with its content between minHeight and maxHeight.
 *
 * The editor owns its text. `onChange` reports every edit; `value` is written into the editor only
 * when it is an outside change (a merge, a reset, a "use this text" button): a value the editor
 * itself reported earlier is an echo of typing that has since moved on, and writing it back would
 * drop the keystrokes in between and throw the cursor to the end.
 */
export function TemplateEditor({
  value,
  onChange,
  markers,
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
  const monaco = useMonaco();
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<editor.IStandaloneCodeEditor | null>(null);
  const [ready, setReady] = useState(false);
  const [height, setHeight] = useState(() => estimateHeight(value, minHeight, maxHeight));
  // What the latest render was given, for callbacks registered once at creation.
  const props = useRef({ value, onChange, completion, readOnly, label });
  useEffect(() => {
    props.current = { value, onChange, completion, readOnly, label };
  });
  // Texts this editor reported since the parent last caught up with it.
  const reported = useRef(new Set<string>());
  const writing = useRef(false);

  useEffect(() => {
    const el = host.current;
    if (!monaco || !el) return;
    const model = monaco.editor.createModel(props.current.value, LANGUAGE);
    const ed = monaco.editor.create(el, {
      model,
      theme: THEME,
      ariaLabel: props.current.label,
      readOnly: props.current.readOnly,
      minimap: { enabled: false },
      wordWrap: "on",
      lineNumbers: "on",
      lineNumbersMinChars: 3,
      lineHeight: LINE_HEIGHT,
      scrollBeyondLastLine: false,
      fontSize: 13,
      renderLineHighlight: "none",
      automaticLayout: true,
      overviewRulerLanes: 0,
      hideCursorInOverviewRuler: true,
      fixedOverflowWidgets: true,
      quickSuggestions: { other: true, comments: false, strings: true },
      // Prose, not code: offering the document's own words would let Enter replace a typed word.
      wordBasedSuggestions: "off",
      suggestOnTriggerCharacters: true,
      tabSize: 2,
      scrollbar: { alwaysConsumeMouseWheel: false },
      padding: { top: PADDING, bottom: PADDING },
    });
    editorRef.current = ed;
    const unregister = registerCompletionSource(model, {
      variables: () => props.current.completion?.variables() ?? [],
      partials: () => props.current.completion?.partials() ?? [],
    });
    const fit = () => setHeight(Math.min(maxHeight, Math.max(minHeight, ed.getContentHeight() + 2)));
    const subscriptions = [
      model.onDidChangeContent(() => {
        if (writing.current) return;
        const text = model.getValue();
        reported.current.add(text);
        props.current.onChange?.(text);
      }),
      ed.onDidContentSizeChange(fit),
    ];
    fit();
    setReady(true);
    return () => {
      // The editor goes before its model: Monaco reports a model disposed while still attached.
      for (const s of subscriptions) s.dispose();
      unregister();
      editorRef.current = null;
      ed.dispose();
      model.dispose();
      setReady(false);
    };
  }, [monaco, minHeight, maxHeight]);

  useEffect(() => {
    const ed = editorRef.current;
    const model = ed?.getModel();
    if (!ed || !model) return;
    const current = model.getValue();
    if (value === current) {
      reported.current.clear();
      return;
    }
    if (reported.current.has(value)) return; // an echo of earlier typing: the editor is ahead
    writing.current = true;
    try {
      // An undoable edit (works in read-only editors too), so Ctrl+Z returns to what was typed.
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text: value }], () => null);
      ed.pushUndoStop();
    } finally {
      writing.current = false;
    }
    reported.current.clear();
  }, [value, ready]);

  useEffect(() => {
    editorRef.current?.updateOptions({ readOnly, ariaLabel: label });
  }, [readOnly, label, ready]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model || !monaco) return;
    const severity = (s: Marker["severity"]) =>
      s === "error" ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning;
    monaco.editor.setModelMarkers(
      model,
      "lectern",
      (markers ?? []).map((m) => ({
        startLineNumber: m.line,
        startColumn: m.column,
        endLineNumber: m.endLine,
        endColumn: m.endColumn,
        message: m.message,
        severity: severity(m.severity),
      })),
    );
  }, [markers, monaco, ready]);

  return (
    <div
      className="relative overflow-hidden rounded-md border border-slate-300 bg-white focus-within:border-brand-600 focus-within:ring-2 focus-within:ring-brand-600/30"
      style={{ height }}
      data-testid="template-editor"
      data-ready={ready ? "true" : undefined}
    >
      <div ref={host} className="absolute inset-0" />
      {ready ? null : <EditorSkeleton text={value} label={label} />}
    </div>
  );
}
