// Undo for structural edits of the working copy (a message removed, moved or added, a variable
// removed or declared). Only the list the edit touched is put back, and typing done since in other
// items is kept: undoing "remove message 2" does not also undo the words typed in message 1. Pure.
import type { EditorState } from "./state";

export type UndoableList = "messages" | "variables";
type Keyed = { key: string };

export type UndoEntry = {
  /** What the edit did, in words: "Message 2 (user) removed". */
  label: string;
  list: UndoableList;
  before: Keyed[];
  after: Keyed[];
};

/**
 * The list as it was before an edit (before → after), applied to the list as it is now (current):
 * items the edit removed come back at their place, items it added go, its reordering is reversed;
 * items edited since keep their current text, items added since stay where they are.
 */
export function revertList<T extends Keyed>(current: T[], before: T[], after: T[]): T[] {
  const beforeKeys = new Set(before.map((x) => x.key));
  const afterKeys = new Set(after.map((x) => x.key));
  const now = new Map(current.map((x) => [x.key, x]));
  // Kept: what is still here, and what the edit removed; what was removed later stays removed.
  const restored = before.filter((b) => now.has(b.key) || !afterKeys.has(b.key)).map((b) => now.get(b.key) ?? b);
  current.forEach((c, i) => {
    if (!beforeKeys.has(c.key) && !afterKeys.has(c.key)) restored.splice(Math.min(i, restored.length), 0, c);
  });
  return restored;
}

export function applyUndo(s: EditorState, e: UndoEntry): EditorState {
  if (e.list === "messages")
    return {
      ...s,
      messages: revertList(s.messages, e.before as EditorState["messages"], e.after as typeof s.messages),
    };
  return {
    ...s,
    variables: revertList(s.variables, e.before as EditorState["variables"], e.after as typeof s.variables),
  };
}

/** Ctrl+Z / Cmd+Z aimed at the page rather than at a text field (Monaco's own undo handles its text). */
export function isPageUndo(
  e: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey">,
  target: {
    tagName?: string;
    isContentEditable?: boolean;
    closest?: (selector: string) => unknown;
  } | null,
): boolean {
  if (!(e.ctrlKey || e.metaKey) || e.shiftKey || e.altKey || e.key.toLowerCase() !== "z") return false;
  if (!target) return true;
  const tag = (target.tagName ?? "").toUpperCase();
  if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable) return false;
  return !target.closest?.(".monaco-editor");
}
