"use client";

import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { isPageUndo, type UndoEntry } from "./undo";

/**
 * Offers to undo the newest structural edit (a removed message comes back at its place), and makes
 * Ctrl+Z / Cmd+Z outside the text editors do the same. The notice hides after a while or when
 * dismissed; the shortcut keeps working for every edit still on the stack.
 */
export function UndoBar({ stack, onUndo }: { stack: UndoEntry[]; onUndo: () => void }) {
  const newest = stack.at(-1);
  const [hidden, setHidden] = useState<UndoEntry | null>(null);
  const canUndo = stack.length > 0;

  useEffect(() => {
    if (!canUndo) return;
    const onKey = (e: KeyboardEvent) => {
      if (!isPageUndo(e, e.target instanceof Element ? (e.target as HTMLElement) : null)) return;
      e.preventDefault();
      onUndo();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [canUndo, onUndo]);

  useEffect(() => {
    if (!newest) return;
    const timer = setTimeout(() => setHidden(newest), 10_000);
    return () => clearTimeout(timer);
  }, [newest]);

  const shown = newest && hidden !== newest ? newest : null;
  return (
    <div role="status" aria-live="polite" className="fixed bottom-4 left-4 z-40 max-w-[calc(100vw-2rem)]">
      {shown ? (
        <div className="flex items-center gap-3 rounded-lg border border-slate-300 bg-white px-4 py-2.5 text-sm shadow-md">
          <span>{shown.label}.</span>
          <Button type="button" size="sm" variant="secondary" onClick={onUndo} aria-keyshortcuts="Control+Z">
            Undo
          </Button>
          <button
            type="button"
            onClick={() => setHidden(shown)}
            className="rounded px-1 text-slate-500 hover:text-slate-900"
            aria-label="Dismiss"
          >
            ✕
          </button>
        </div>
      ) : null}
    </div>
  );
}
