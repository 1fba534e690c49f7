"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import { DiffEditor } from "@monaco-editor/react";
import type { editor } from "monaco-editor";
import { LANGUAGE, THEME, setupMonaco } from "@/components/editor/monaco-setup";

const lineHeight = 19;

/**
 * Side-by-side Monaco diff of one text. With onModifiedChange the right side is editable (used to
 * resolve merge conflicts). Long lines wrap on both sides, so it stays readable at tablet width.
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
  const lines = Math.max(original.split("\n").length, modified.split("\n").length);
  const minHeight = onModifiedChange ? 200 : 80;
  // A first estimate from the line count; once mounted, the real (wrapped) content height.
  const [height, setHeight] = useState(() => Math.min(520, Math.max(minHeight, lines * lineHeight + 24)));
  const onChange = useRef(onModifiedChange);
  // Hidden (also from assistive tech) until both sides carry their labels.
  const [ready, setReady] = useState(false);
  useEffect(() => {
    onChange.current = onModifiedChange;
  }, [onModifiedChange]);
  const editable = Boolean(onModifiedChange);
  // Stable options: the wrapper re-applies options whenever the object changes.
  const options = useMemo(
    (): editor.IDiffEditorConstructionOptions => ({
      readOnly: !editable,
      originalEditable: false,
      renderSideBySide: true,
      // Always side by side (wrapped): Monaco's automatic switch to inline leaves the original side unwrapped.
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
      lineNumbersMinChars: 3,
      originalAriaLabel: `${label}: ${originalTitle ?? "before"} (read only)`,
      modifiedAriaLabel: `${label}: ${modifiedTitle ?? "after"}${editable ? "" : " (read only)"}`,
      scrollbar: { alwaysConsumeMouseWheel: false },
    }),
    [label, originalTitle, modifiedTitle, editable],
  );
  return (
    <div>
      {originalTitle || modifiedTitle ? (
        <div className="grid grid-cols-2 gap-2 pb-1 text-xs font-medium text-slate-600">
          <span>{originalTitle}</span>
          <span>{modifiedTitle}</span>
        </div>
      ) : null}
      <div className="overflow-hidden rounded-md border border-slate-300" style={{ height, visibility: ready ? "visible" : "hidden" }} role="group" aria-label={label}>
        <DiffEditor
          original={original}
          modified={modified}
          language={LANGUAGE}
          theme={THEME}
          beforeMount={setupMonaco}
          onMount={(ed: editor.IStandaloneDiffEditor, monaco) => {
            // Monaco drops the inner editors' labels whenever it re-derives their options (e.g. when
            // switching between side-by-side and inline); put them back each time.
            const keepLabel = (inner: editor.ICodeEditor, label = "") => {
              const apply = () => {
                if (inner.getOption(monaco.editor.EditorOption.ariaLabel) !== label) inner.updateOptions({ ariaLabel: label });
              };
              apply();
              inner.onDidChangeConfiguration(apply);
            };
            keepLabel(ed.getOriginalEditor(), options.originalAriaLabel);
            const m = ed.getModifiedEditor();
            keepLabel(m, options.modifiedAriaLabel);
            m.onDidChangeModelContent(() => onChange.current?.(m.getValue()));
            const o = ed.getOriginalEditor();
            const fit = () => setHeight(Math.min(520, Math.max(minHeight, o.getContentHeight(), m.getContentHeight()) + 2));
            o.onDidContentSizeChange(fit);
            m.onDidContentSizeChange(fit);
            fit();
            setReady(true);
          }}
          loading={<span className="p-3 text-sm text-slate-500">Loading diff…</span>}
          options={options}
        />
      </div>
    </div>
  );
}
