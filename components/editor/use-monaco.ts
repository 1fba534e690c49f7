"use client";

import { useEffect, useState } from "react";
import { loader, type Monaco } from "@monaco-editor/react";
import { setupMonaco } from "./monaco-setup";

// Lectern creates and disposes its editors itself (template-editor.tsx, diff-pane.tsx) instead of
// through @monaco-editor/react's components: those feed the `value` prop back into the model on
// every render, which loses keystrokes typed between a change and the re-render, and dispose a diff
// editor's models before the editor. Only the loader (served from /monaco/vs) is used from it.

let loaded: Monaco | null = null;

function load(): Promise<Monaco> & { cancel: () => void } {
  const p = loader.init();
  void p.then(
    (m) => {
      setupMonaco(m);
      loaded = m;
    },
    () => {},
  );
  return p;
}

/** Monaco once it has loaded (null until then), with Lectern's language, theme and completions. */
export function useMonaco(): Monaco | null {
  const [monaco, setMonaco] = useState<Monaco | null>(loaded);
  useEffect(() => {
    if (monaco) return;
    const p = load();
    p.then(
      (m) => setMonaco(m),
      (e: unknown) => {
        if ((e as { type?: string } | null)?.type !== "cancelation") console.error("Monaco failed to load", e);
      },
    );
    return () => p.cancel();
  }, [monaco]);
  return monaco;
}

/**
 * Starts loading Monaco while the browser is idle, so a dialog that shows a diff later does not wait
 * for it. Call from pages where such a dialog may open.
 */
export function usePreloadMonaco() {
  useEffect(() => {
    if (loaded) return;
    const start = () => void load().catch(() => {});
    if (typeof window.requestIdleCallback === "function") {
      const id = window.requestIdleCallback(start, { timeout: 2000 });
      return () => window.cancelIdleCallback(id);
    }
    const t = setTimeout(start, 300);
    return () => clearTimeout(t);
  }, []);
}
