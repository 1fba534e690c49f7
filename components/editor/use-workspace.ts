"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { prepareSkillFiles, skillProblems } from "@/lib/registry/skills/skill-files";
import { diagnose, type PartialMap, type Piece } from "./diagnostics";
import { fieldLabel, shownAtField, toCandidate, toContent, type EditorState } from "./state";
import { applyUndo, type UndoableList, type UndoEntry } from "./undo";

export function piecesOf(s: EditorState): Piece[] {
  if (s.type === "text") return [{ field: "template", label: "Template", text: s.text }];
  // A placeholder's name is not template text: it has no variables or partials to diagnose.
  return s.messages.flatMap((m, i) =>
    m.role === "placeholder"
      ? []
      : [{ field: `template.messages[${i}]`, label: `Message ${i + 1} (${m.role})`, text: m.content }],
  );
}

const snapshot = (s: EditorState) => JSON.stringify(toCandidate(s).candidate);

/**
 * The editing session: the working copy, its validation (schema + template diagnostics, as on the
 * server), partials fetched on demand, and whether there are unsaved changes.
 */
/** The names image parts use (the editor's image rows of kind "variable"). */
export function imageVariablesOf(s: EditorState): string[] {
  if (s.type !== "chat") return [];
  const names = s.messages.flatMap((m) =>
    (m.images ?? []).flatMap((im) => (im.source === "variable" && im.value.trim() ? [im.value.trim()] : [])),
  );
  return [...new Set(names)];
}

export function useWorkspace(
  initial: EditorState,
  opts: { promptName: string; partials: PartialMap; loadPartials?: (names: string[]) => Promise<PartialMap> },
) {
  const [state, setState] = useState(initial);
  const [saved, setSaved] = useState(() => snapshot(initial));
  const [partials, setPartials] = useState<PartialMap>(opts.partials);
  const [undoStack, setUndoStack] = useState<UndoEntry[]>([]);
  // Structural edits are clicks, computed from the newest state (keystrokes may outrun renders).
  const latest = useRef(state);
  useEffect(() => {
    latest.current = state;
  }, [state]);
  const stack = useRef<UndoEntry[]>([]);
  const setStack = useCallback((next: UndoEntry[]) => {
    stack.current = next;
    setUndoStack(next);
  }, []);
  const structural = useCallback(
    <L extends UndoableList>(list: L, label: string, next: EditorState[L]) => {
      const entry: UndoEntry = { label, list, before: latest.current[list], after: next };
      latest.current = { ...latest.current, [list]: next };
      setState((s) => ({ ...s, [list]: next }));
      setStack([...stack.current.slice(-19), entry]);
    },
    [setStack],
  );
  const undo = useCallback(() => {
    const entry = stack.current.at(-1);
    if (!entry) return;
    setStack(stack.current.slice(0, -1));
    setState((s) => applyUndo(s, entry));
  }, [setStack]);
  const { content, errors } = useMemo(() => toContent(state), [state]);
  const variables = useMemo(
    () =>
      state.variables
        .filter((v) => /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(v.name.trim()))
        .map((v) => ({ name: v.name.trim(), type: v.type })),
    [state.variables],
  );
  const diagnostics = useMemo(
    () => diagnose(opts.promptName, piecesOf(state), variables, partials, imageVariablesOf(state)),
    [opts.promptName, state, variables, partials],
  );

  const { loadPartials } = opts;
  const wanted = diagnostics.unknownPartials.join(",");
  useEffect(() => {
    if (!wanted || !loadPartials) return;
    const names = wanted.split(",");
    const timer = setTimeout(() => {
      loadPartials(names)
        .then((found) =>
          setPartials((p) => ({ ...p, ...Object.fromEntries(names.map((n) => [n, found[n] ?? null])), ...found })),
        )
        .catch(() => setPartials((p) => ({ ...p, ...Object.fromEntries(names.map((n) => [n, null])) })));
    }, 400);
    return () => clearTimeout(timer);
  }, [wanted, loadPartials]);

  const dirty = snapshot(state) !== saved;
  // A field's message is shown at the field; the summary names the fields instead of repeating it.
  const atFields = Object.keys(errors).filter(shownAtField);
  const elsewhere = Object.entries(errors)
    .filter(([field]) => !shownAtField(field))
    .map(([field, message]) => `${fieldLabel(field, state)}: ${message}`);
  const fieldSummary = atFields.length
    ? [
        `${atFields.length === 1 ? "A field is" : `${atFields.length} fields are`} marked in red below: ${atFields.map((f) => fieldLabel(f, state)).join(", ")}.`,
      ]
    : [];
  // A skill: the agentskills.io rules the server checks on save, named before it is tried (on the files as the
  // save stores them: fields outside the specification moved under metadata).
  const skillRules = useMemo(
    () =>
      state.type === "skill" && content?.type === "skill"
        ? skillProblems(prepareSkillFiles(content.files).files, opts.promptName || undefined).map((p) => p.message)
        : [],
    [state.type, content, opts.promptName],
  );
  const problems = [...new Set([...diagnostics.problems, ...elsewhere, ...fieldSummary, ...skillRules])];
  return {
    state,
    setState,
    content,
    errors,
    diagnostics,
    problems,
    dirty,
    /** Marks the current (or given) working copy as saved. */
    markSaved: (s: EditorState = state) => setSaved(snapshot(s)),
    /** A structural edit of a list (remove, move, add), recorded so that it can be undone. */
    structural,
    /** Undoes the newest structural edit still on the stack. */
    undo,
    /** The structural edits that can be undone, newest last. */
    undoStack,
    /** Replaces the working copy, e.g. after a merge; `asSaved` marks it as the saved baseline. */
    reset: (s: EditorState, asSaved = false) => {
      setStack([]);
      setState(s);
      if (asSaved) setSaved(snapshot(s));
    },
  };
}

export type Workspace = ReturnType<typeof useWorkspace>;
