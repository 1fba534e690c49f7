// The meaning both template languages share, as a small tree: what Lectern's Mustache and Dotprompt's
// Handlebars each parse to once their whitespace rules have run. A file converts only when the target
// engine's own parser, run on the text we write, gives back the same tree (sameIr) — that comparison, not
// the emitters' care, is what makes a conversion exact. What has no node here cannot be carried and is
// refused with a FormatRefusal naming it.
import { AppError } from "../../errors";

export type IrNode =
  /** o: the text as written, before the engine removed whitespace around tags (Handlebars' side only). */
  | { t: "text"; s: string; o?: string }
  /** A value printed as text. path [] is the current item. json: objects and arrays print as JSON. */
  | { t: "value"; path: string[]; json?: boolean }
  /** Renders body once, in the same context, when the value is truthy (a non-empty list counts). */
  | { t: "if"; path: string[]; body: IrNode[] }
  /** Renders body once, in the same context, when the value is falsy or an empty list. */
  | { t: "unless"; path: string[]; body: IrNode[] }
  /** Mustache's section: a list repeats body per item, an object becomes the context, false skips. */
  | { t: "section"; path: string[]; body: IrNode[] }
  | { t: "partial"; name: string }
  /** Renders nothing; kept so a conversion keeps the author's notes. */
  | { t: "comment"; s: string };

/** The kinds of value a template may be given, as far as the two engines treat them differently. */
export type ValueKind = "string" | "number" | "boolean" | "image" | "list" | "object" | "any";

/**
 * What a name means where it is used. `push` frames are sections whose item became the context (a list's
 * item, an object): there, Mustache looks a name up in the item and then outwards, Handlebars in the item
 * only. `if` frames keep the context; `value` is what `.` means inside one (a string or number section).
 */
export type Frame = { kind: "push" } | { kind: "if"; value?: string[] };

export interface Scope {
  /** Top-level variables by name. */
  kinds: ReadonlyMap<string, ValueKind>;
  frames: Frame[];
}

/** A construct one side cannot carry: refused with a 422 that names it and says where it is. */
export class FormatRefusal extends Error {
  constructor(
    readonly construct: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const refuse = (construct: string, message: string, field?: string): never => {
  throw new FormatRefusal(construct, message, field);
};

/** A refusal as the one error shape: 422 with the construct and the field it sits in. */
export function refusalError(e: FormatRefusal, format: string, fieldPrefix?: string): AppError {
  const field = e.field ?? fieldPrefix;
  return new AppError("unprocessable", `${format}: ${field ? `${field}: ` : ""}${e.message}`, {
    construct: e.construct,
    ...(field ? { field } : {}),
    format,
  });
}

export const pushed = (scope: Scope) => scope.frames.some((f) => f.kind === "push");
export const within = (scope: Scope, frame: Frame): Scope => ({ ...scope, frames: [...scope.frames, frame] });

/**
 * Checks a name used in a template against the scope. Inside a section whose item became the context, a
 * name that is also a variable is ambiguous: Mustache reads it from the item and then from the variables,
 * Handlebars from the item only, so the two would print different things whenever an item lacks it.
 */
export function checkName(scope: Scope, path: string[], where: string): void {
  const head = path[0];
  if (head === undefined || !pushed(scope) || !scope.kinds.has(head)) return;
  refuse(
    "ambiguous-name",
    `${where} uses ${path.join(".")} inside a section that repeats over a list or opens an object: Lectern (Mustache) reads it from the item and then from the variable ${head}, Dotprompt (Handlebars) from the item only. Use it outside the section.`,
  );
}

/** `.` inside the current frames: the current item, a section's own value, or (at the top) refused. */
export function currentValue(scope: Scope, where: string): string[] {
  for (let i = scope.frames.length - 1; i >= 0; i--) {
    const f = scope.frames[i]!;
    if (f.kind === "push") return [];
    if (f.value) return f.value;
  }
  return refuse(
    "current-context",
    `${where} prints the whole context ({{.}} or {{this}} outside a list): the two engines print it differently`,
  );
}

/** Drops comments, merges neighbouring text and removes empty text, recursively: the shape that renders. */
export function normalizeIr(nodes: IrNode[]): IrNode[] {
  const out: IrNode[] = [];
  for (const n of nodes) {
    if (n.t === "comment") continue;
    if (n.t === "text") {
      if (n.s === "") continue;
      const last = out[out.length - 1];
      if (last?.t === "text") out[out.length - 1] = { t: "text", s: last.s + n.s };
      else out.push({ t: "text", s: n.s });
      continue;
    }
    if (n.t === "if" || n.t === "unless" || n.t === "section")
      out.push({ t: n.t, path: n.path, body: normalizeIr(n.body) });
    else if (n.t === "value")
      out.push(n.json ? { t: "value", path: n.path, json: true } : { t: "value", path: n.path });
    else out.push({ t: "partial", name: n.name });
  }
  return out;
}

export function sameIr(a: IrNode[], b: IrNode[]): boolean {
  return JSON.stringify(normalizeIr(a)) === JSON.stringify(normalizeIr(b));
}

/** Whether the nodes can only ever render whitespace (Dotprompt drops such a message or part). */
export function alwaysBlank(nodes: IrNode[]): boolean {
  return normalizeIr(nodes).every((n) => n.t === "text" && n.s.trim() === "");
}

/** The variable names the nodes use outside any list or object section (their heads), in order. */
export function topLevelNames(nodes: IrNode[], inPush = false, out: string[] = []): string[] {
  for (const n of nodes) {
    if ((n.t === "value" || n.t === "if" || n.t === "unless" || n.t === "section") && !inPush && n.path[0])
      if (!out.includes(n.path[0])) out.push(n.path[0]);
    if (n.t === "if" || n.t === "unless") topLevelNames(n.body, inPush, out);
    if (n.t === "section") topLevelNames(n.body, true, out);
  }
  return out;
}
