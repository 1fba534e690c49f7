// Problems in the working copy, found with the same functions the server runs when a version is
// saved (template parsing, partial graph, declared variables), placed as editor markers. Pure.
import { isAppError } from "@/lib/errors";
import type { Content, Variable } from "@/lib/registry/content";
import { parsePartialRef, partialRefProblem } from "@/lib/registry/templates/partial-refs";
import { resolvePartialGraph, type PartialGraph } from "@/lib/registry/templates/partials";
import { analyzeTemplate } from "@/lib/registry/templates/template-syntax";
import { checkVariables } from "@/lib/registry/templates/variables";

export type Marker = {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  severity: "error" | "warning";
};
export type Piece = { field: string; label: string; text: string };

export type Diagnostics = {
  /** Markers by piece field ("template" or "template.messages[i]"). */
  markers: Record<string, Marker[]>;
  undeclared: string[];
  unused: string[];
  /** Partials referenced but not loaded yet: the caller fetches them and diagnoses again. */
  unknownPartials: string[];
  /** Blocking problems, as sentences; saving is refused while there are any. */
  problems: string[];
  graph: PartialGraph;
};

/** Partial contents by name; null means "looked up: no such prompt". */
export type PartialMap = Record<string, Content | null>;

function position(text: string, offset: number) {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}

function rangeMarker(
  text: string,
  start: number,
  end: number,
  message: string,
  severity: Marker["severity"] = "error",
): Marker {
  const a = position(text, start);
  const b = position(text, end);
  return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column, message, severity };
}

const tagPattern = /\{\{(\{)?\s*([#^/&>!]?)\s*([^}]*?)\s*\}?\}\}/g;

/** Every tag of a template with its kind and the head of its name (user.name → user). */
function tags(text: string) {
  const out: { kind: string; name: string; head: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(tagPattern)) {
    const name = m[3] ?? "";
    out.push({
      kind: m[1] ? "{" : (m[2] ?? ""),
      name,
      head: name.split(".")[0] ?? "",
      start: m.index,
      end: m.index + m[0].length,
    });
  }
  return out;
}

const conflictLine = /^(<{7}|={7}|>{7})(\s|$)/;

export function diagnose(
  promptName: string,
  pieces: Piece[],
  variables: Pick<Variable, "name" | "type">[],
  partials: PartialMap,
  /** Variables image parts name: used, so declared (as images) and never "unused". */
  imageVariables: string[] = [],
): Diagnostics {
  const markers: Record<string, Marker[]> = {};
  const problems: string[] = [];
  const add = (field: string, m: Marker) => (markers[field] ??= []).push(m);
  const referenced = new Set<string>();
  let parsed = true;

  for (const p of pieces) {
    const lines = p.text.split("\n");
    lines.forEach((l, i) => {
      if (conflictLine.test(l))
        add(p.field, {
          line: i + 1,
          column: 1,
          endLine: i + 1,
          endColumn: l.length + 1,
          message: "Unresolved merge conflict: keep the lines you want and delete the markers.",
          severity: "error",
        });
    });
    if (lines.some((l) => conflictLine.test(l))) problems.push(`${p.label} has unresolved merge conflict markers.`);
    try {
      for (const name of analyzeTemplate(p.text, p.field).partials) {
        referenced.add(name);
        if (!parsePartialRef(name)) {
          const why = `${partialRefProblem(name)}.`;
          for (const t of tags(p.text).filter((t) => t.kind === ">" && t.name === name))
            add(p.field, rangeMarker(p.text, t.start, t.end, why));
          problems.push(why);
        } else if (partials[name] === null) {
          const pinned = name.includes("|");
          const why = pinned
            ? `Nothing to include for ${name}: no such prompt, or that version or label is not on it.`
            : `There is no prompt named ${name} to include.`;
          for (const t of tags(p.text).filter((t) => t.kind === ">" && t.name === name))
            add(p.field, rangeMarker(p.text, t.start, t.end, why));
          problems.push(
            pinned
              ? `${p.label} includes {{> ${name}}}, which finds nothing.`
              : `${p.label} includes {{> ${name}}}, but there is no prompt named ${name}.`,
          );
        }
      }
    } catch (e) {
      parsed = false;
      const details = isAppError(e) ? (e.details ?? {}) : {};
      const line = typeof details.line === "number" ? details.line : 1;
      const column = typeof details.column === "number" ? details.column : 1;
      const lineText = p.text.split("\n")[line - 1] ?? "";
      const message = e instanceof Error ? e.message : String(e);
      add(p.field, {
        line,
        column,
        endLine: line,
        endColumn: Math.max(column + 1, lineText.length + 1),
        message,
        severity: "error",
      });
      problems.push(message.startsWith(p.label) ? message : `${p.label}: ${message}`);
    }
  }

  const unknownPartials = [...referenced].filter((n) => parsePartialRef(n) && !(n in partials));
  let graph: PartialGraph = { partials: {}, declared: {}, missing: [], expandedChars: 0 };
  if (parsed && unknownPartials.length === 0 && problems.length === 0) {
    const root: Content = {
      type: "text",
      template: pieces.map((p) => p.text).join("\n\n"),
      variables: [],
      config: {},
      examples: [],
    };
    try {
      graph = resolvePartialGraph(
        { name: promptName || "(new prompt)", content: root },
        (n) => partials[n] ?? undefined,
      );
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
    }
  }

  let undeclared: string[] = [];
  let unused: string[] = [];
  if (parsed) {
    // The server's own check, over all pieces at once (roles don't matter to it).
    const like = {
      type: "chat",
      template: [
        ...pieces.map((p) => ({ role: "user", content: p.text })),
        ...(imageVariables.length
          ? [{ role: "user", content: imageVariables.map((variable) => ({ type: "image", variable })) }]
          : []),
      ],
      variables,
      config: {},
      examples: [],
    } as unknown as Content;
    ({ undeclared, unused } = checkVariables(like, graph.declared));
    for (const p of pieces) {
      for (const t of tags(p.text)) {
        if (["", "&", "{", "#", "^"].includes(t.kind) && undeclared.includes(t.head))
          add(
            p.field,
            rangeMarker(p.text, t.start, t.end, `Variable ${t.head} is not declared: add it under Variables.`),
          );
      }
    }
    if (undeclared.length) problems.push(`Template uses undeclared variables: ${undeclared.join(", ")}.`);
  }
  return { markers, undeclared, unused, unknownPartials, problems, graph };
}
