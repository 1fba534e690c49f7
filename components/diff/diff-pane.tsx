"use client";

import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import type { editor } from "monaco-editor";
import { DiffSkeleton, LINE_HEIGHT } from "@/components/editor/editor-skeleton";
import { LANGUAGE, THEME } from "@/components/editor/monaco-setup";
import { useMonaco } from "@/components/editor/use-monaco";

// Below this width two columns of a prompt hold ~8 characters a line: one unified column reads better.
const narrowQuery = "(max-width: 767px)";
const subscribeNarrow = (onChange: () => void) => {
  const mq = window.matchMedia(narrowQuery);
  mq.addEventListener("change", onChange);
  return () => mq.removeEventListener("change", onChange);
};
/** Whether the screen is phone-narrow (false on the server: the skeleton is the same either way). */
export const useNarrowScreen = () =>
  useSyncExternalStore(
    subscribeNarrow,
    () => window.matchMedia(narrowQuery).matches,
    () => false,
  );

/**
 * Side-by-side Monaco diff of one text (unified, one column, on a phone). With onModifiedChange the right side is editable (used to
 * resolve merge conflicts); it then owns its text like TemplateEditor does, and a parent replaces
 * the text by remounting it. Long lines wrap on both sides, so it stays readable at tablet width.
 * Until Monaco is ready a skeleton of the same height stands in, so dialogs do not jump.
 */
export function DiffPane({
  original,
  modified,
  label,
  onModifiedChange,
  originalTitle,
  modifiedTitle,
}: {
  original: string;
  modified: string;
  label: string;
  onModifiedChange?: (value: string) => void;
  originalTitle?: string;
  modifiedTitle?: string;
}) {
  const monaco = useMonaco();
  const narrow = useNarrowScreen();
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<editor.IStandaloneDiffEditor | null>(null);
  const lines = Math.max(original.split("\n").length, modified.split("\n").length);
  const editable = Boolean(onModifiedChange);
  const minHeight = editable ? 200 : 80;
  // A first estimate from the line count; once mounted, the real (wrapped) content height.
  // (The same formula as fit() below, with unwrapped lines: the skeleton and the diff take the same room.)
  const [height, setHeight] = useState(() => Math.min(520, Math.max(minHeight, lines * LINE_HEIGHT) + 2));
  const [ready, setReady] = useState(false);
  const props = useRef({ original, modified, onModifiedChange, narrow });
  useEffect(() => {
    props.current = { original, modified, onModifiedChange, narrow };
  });

  useEffect(() => {
    const el = host.current;
    if (!monaco || !el) return;
    const p = props.current;
    const originalLabel = `${label}: ${originalTitle ?? "before"} (read only)`;
    const modifiedLabel = `${label}: ${modifiedTitle ?? "after"}${editable ? "" : " (read only)"}`;
    const originalModel = monaco.editor.createModel(p.original, LANGUAGE);
    const modifiedModel = monaco.editor.createModel(p.modified, LANGUAGE);
    const ed = monaco.editor.createDiffEditor(el, {
      theme: THEME,
      readOnly: !editable,
      originalEditable: false,
      renderSideBySide: !props.current.narrow,
      // Our own switch (below): Monaco's automatic one to inline leaves the original side unwrapped.
      useInlineViewWhenSpaceIsLimited: false,
      minimap: { enabled: false },
      wordWrap: "on",
      diffWordWrap: "on",
      scrollBeyondLastLine: false,
      renderOverviewRuler: false,
      automaticLayout: true,
      overviewRulerLanes: 0,
      hideCursorInOverviewRuler: true,
      fontSize: 13,
      lineHeight: LINE_HEIGHT,
      lineNumbersMinChars: 3,
      originalAriaLabel: originalLabel,
      modifiedAriaLabel: modifiedLabel,
      scrollbar: { alwaysConsumeMouseWheel: false },
    });
    ed.setModel({ original: originalModel, modified: modifiedModel });
    editorRef.current = ed;
    const o = ed.getOriginalEditor();
    const m = ed.getModifiedEditor();
    const subscriptions: { dispose(): void }[] = [];
    // Monaco drops the inner editors' labels whenever it re-derives their options; put them back each time.
    const keepLabel = (inner: editor.ICodeEditor, text: string) => {
      const apply = () => {
        if (inner.getOption(monaco.editor.EditorOption.ariaLabel) !== text) inner.updateOptions({ ariaLabel: text });
      };
      apply();
      subscriptions.push(inner.onDidChangeConfiguration(apply));
    };
    keepLabel(o, originalLabel);
    keepLabel(m, modifiedLabel);
    subscriptions.push(
      modifiedModel.onDidChangeContent(() => props.current.onModifiedChange?.(modifiedModel.getValue())),
    );
    const fit = () => setHeight(Math.min(520, Math.max(minHeight, o.getContentHeight(), m.getContentHeight()) + 2));
    subscriptions.push(o.onDidContentSizeChange(fit), m.onDidContentSizeChange(fit));
    fit();
    setReady(true);
    return () => {
      // The diff editor must let go of its models before they are disposed; disposing it first does that.
      for (const s of subscriptions) s.dispose();
      editorRef.current = null;
      ed.dispose();
      originalModel.dispose();
      modifiedModel.dispose();
      setReady(false);
    };
    // New titles make a new editor: Monaco keeps an inner editor's label only as an option it may re-derive.
  }, [monaco, editable, minHeight, label, originalTitle, modifiedTitle]);

  useEffect(() => {
    editorRef.current?.updateOptions({ renderSideBySide: !narrow });
  }, [narrow, ready]);

  // A read-only diff follows its props (another version picked); an editable side keeps what was typed.
  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (model && model.original.getValue() !== original) model.original.setValue(original);
    if (model && !editable && model.modified.getValue() !== modified) model.modified.setValue(modified);
  }, [original, modified, editable, ready]);

  return (
    <div>
      {(originalTitle || modifiedTitle) && narrow ? (
        <p className="pb-1 text-xs font-medium text-slate-600">
          <span className="text-red-800">− {originalTitle ?? "before"}</span> ·{" "}
          <span className="text-emerald-800">+ {modifiedTitle ?? "after"}</span>
        </p>
      ) : originalTitle || modifiedTitle ? (
        <div className="grid grid-cols-2 gap-2 pb-1 text-xs font-medium text-slate-600">
          <span>{originalTitle}</span>
          <span>{modifiedTitle}</span>
        </div>
      ) : null}
      <div
        className="relative overflow-hidden rounded-md border border-slate-300 bg-white"
        style={{ height }}
        role="group"
        aria-label={label}
        aria-busy={ready ? undefined : true}
      >
        <div ref={host} className="absolute inset-0" />
        {ready ? null : <DiffSkeleton lines={lines} />}
      </div>
    </div>
  );
}
