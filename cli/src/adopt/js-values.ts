// Turns text passed to a model call (a string or template literal, a concatenation or join of them, a `const`
// of the same file holding one) into a Lectern template: `${customer}` becomes {{customer}}; anything else is
// refused with the reason. Message lists: js-messages.ts.
import type * as t from "@babel/types";
import { hasMustache, variableNameFor, type Declaration, type FoundVariable } from "./model";
import {
  bindingOf,
  endOf,
  entityPath,
  identifiersIn,
  lineOf,
  referencesTo,
  startOf,
  unwrap,
  type Node,
} from "./js-ast";

/** Where a value is read: the file, and the ancestors of the call it is passed to. */
export interface Place {
  src: string;
  ast: t.File;
  ancestors: readonly Node[];
  /** Where the call starts. */
  at: number;
}

/** Collects the variables of one prompt: the same expression twice is one variable. */
export class Vars {
  readonly list: FoundVariable[] = [];
  readonly notes: string[] = [];
  /** LangChain placeholders ({ type: "placeholder" } entries). */
  readonly placeholders: { name: string; expr: string }[] = [];
  readonly declarations: Declaration[] = [];
  constructor(private readonly src: string) {}

  private unique(name: string, expr: string): FoundVariable | string {
    const same = this.list.find((v) => v.expr === expr);
    if (same) return same;
    const taken = (n: string) => this.list.some((v) => v.name === n) || this.placeholders.some((p) => p.name === n);
    let n = name;
    for (let i = 2; taken(n); i++) n = `${name.slice(0, 60)}_${i}`;
    return n;
  }

  /** The variable an expression fills in, added if new; its type is found later (types-ts.ts), or stays unknown. */
  of(expr: Node): FoundVariable {
    const text = this.src.slice(startOf(expr), endOf(expr));
    const path = entityPath(expr);
    const ids = path ?? identifiersIn(expr).slice(0, 3);
    const base = variableNameFor(
      text,
      ids.filter((w) => w !== "this"),
      this.list.length + 1,
    );
    const got = this.unique(base, text);
    if (typeof got !== "string") return got;
    if (!path)
      this.notes.push(`\${${text.replace(/\s+/g, " ")}} is not a plain name or property access: it became {{${got}}}`);
    const v: FoundVariable = {
      name: got,
      type: "string",
      expr: text,
      stringify: true,
      at: [startOf(expr), endOf(expr)],
    };
    this.list.push(v);
    return v;
  }

  /** A LangChain {name}: filled in by LangChain later, so the rewrite renders it back to {name}. */
  langchain(name: string): FoundVariable {
    const expr = JSON.stringify(`{${name}}`);
    const got = this.unique(name, expr);
    if (typeof got !== "string") return got;
    const v: FoundVariable = { name: got, type: "string", expr, stringify: false };
    this.list.push(v);
    return v;
  }
}

type Text = { text: string } | { reason: string };

const builtElsewhere = "not a literal or template string (a variable holding text built elsewhere)";

/** A LangChain f-string piece ({x}) as a Lectern one; escaped braces ({{, }}) are refused. */
export function fromFString(text: string, vars: Vars): Text {
  if (hasMustache(text))
    return { reason: "the LangChain template has escaped braces ({{ or }}), which would not survive a round trip" };
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== "{") {
      out += c;
      continue;
    }
    const close = text.indexOf("}", i);
    const name = close < 0 ? "" : text.slice(i + 1, close).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name))
      return { reason: `the LangChain template has {${name.slice(0, 30)}}, which is not a plain variable` };
    out += `{{${vars.langchain(name).name}}}`;
    i = close;
  }
  return { text: out };
}

const isTextLiteral = (e: Node) => e.type === "StringLiteral" || e.type === "TemplateLiteral";

/** The leaves of a + b + c when the leftmost is text: then every + joins text. */
function concatenation(e: Node): Node[] | undefined {
  const parts: Node[] = [];
  let cur = e;
  while (cur.type === "BinaryExpression" && cur.operator === "+" && !cur.extra?.parenthesized) {
    parts.unshift(cur.right);
    cur = cur.left;
  }
  parts.unshift(cur);
  return parts.length > 1 && isTextLiteral(unwrap(cur)) ? parts : undefined;
}

/** ["line", `line ${x}`].join("\n"): the pieces and the separator, when every piece is written as text. */
function joined(e: Node): { pieces: Node[]; separator: string } | undefined {
  if (e.type !== "CallExpression" || e.callee.type !== "MemberExpression" || e.callee.computed) return undefined;
  if (e.callee.property.type !== "Identifier" || e.callee.property.name !== "join") return undefined;
  const list = unwrap(e.callee.object);
  if (list.type !== "ArrayExpression" || !list.elements.every((x) => x && isTextLiteral(unwrap(x)))) return undefined;
  const arg = e.arguments[0];
  if (e.arguments.length > 1 || (arg && arg.type !== "StringLiteral")) return undefined;
  return { pieces: list.elements as Node[], separator: arg ? arg.value : "," };
}

/** How a `const` that is read once, where it was adopted, is removed; kept when read elsewhere or exported. */
function declarationOf(place: Place, b: Extract<ReturnType<typeof bindingOf>, { kind: "const" }>): Declaration {
  const st = b.statement;
  const single = (st.type === "VariableDeclaration" ? st : undefined)?.declarations.length === 1;
  return {
    name: b.declarator.id.name,
    line: lineOf(st),
    start: startOf(st),
    end: endOf(st),
    source: place.src.slice(startOf(st), endOf(st)),
    remove: !b.exported && single && referencesTo(place.ast, b.declarator.id.name, b.declarator.id) === 1,
  };
}

/**
 * The Lectern template of text written at the call, or in a `const` of the same file, or why it is left alone.
 * LangChain's literal pieces are its own templates: their {x} become variables too.
 */
export function textOf(e0: Node, vars: Vars, place: Place, langchain = false): Text {
  const e = unwrap(e0);
  const mustache = { reason: "the text contains {{ or }}, which Lectern would read as a template tag" };
  const piece = (s: string): Text => (langchain ? fromFString(s, vars) : hasMustache(s) ? mustache : { text: s });
  const all = (parts: Node[], separator: string): Text => {
    let text = "";
    for (const [i, p] of parts.entries()) {
      const u = unwrap(p);
      const r = isTextLiteral(u) ? textOf(u, vars, place, langchain) : { text: `{{${vars.of(p).name}}}` };
      if ("reason" in r) return r;
      text += (i ? separator : "") + r.text;
    }
    return { text };
  };
  if (e.type === "StringLiteral") return piece(e.value);
  if (e.type === "TemplateLiteral") {
    let text = "";
    for (const [i, q] of e.quasis.entries()) {
      if (q.value.cooked == null) return { reason: "the template has an invalid escape sequence" };
      const p = piece(q.value.cooked);
      if ("reason" in p) return p;
      text += p.text;
      const expr = e.expressions[i];
      if (expr) text += `{{${vars.of(expr).name}}}`;
    }
    return { text };
  }
  if (e.type === "TaggedTemplateExpression")
    return { reason: "a tagged template (tag`…`): its text is what the tag makes of it at run time" };
  const plus = concatenation(e);
  if (plus) return all(plus, "");
  const join = joined(e);
  if (join) {
    if (hasMustache(join.separator)) return mustache;
    return all(join.pieces, join.separator);
  }
  if (e.type === "Identifier") return constText(e, vars, place, langchain);
  if (e.type === "CallExpression") return { reason: "text built by a function call at run time" };
  return { reason: builtElsewhere };
}

/** The text of a `const` the value names, when it is one of this file holding text written as such. */
function constText(e: t.Identifier, vars: Vars, place: Place, langchain: boolean): Text {
  const b = bindingOf(e.name, place.ancestors, place.at);
  if (b.kind === "import")
    return {
      reason: `${e.name} is imported from ${JSON.stringify(b.from)}: adopt reads text written at the call or in a const of the same file`,
    };
  if (b.kind === "other") return { reason: `${e.name} is ${b.what}, not text written in the code` };
  if (b.kind === "unknown" || !b.declarator.init) return { reason: builtElsewhere };
  const init = unwrap(b.declarator.init);
  if (init.type === "Identifier") return { reason: `${e.name} names another variable (${init.name})` };
  const before = vars.list.length;
  const r = textOf(init, vars, place, langchain);
  if ("reason" in r) return { reason: `${e.name} (line ${lineOf(b.declarator)}): ${r.reason}` };
  // ${…} of a const outside this function were evaluated once, where it is declared; at the call they
  // would be evaluated each time, perhaps to something else: only text without them moves.
  if (!b.sameFunction && vars.list.length > before && !langchain)
    return {
      reason: `${e.name} (line ${lineOf(b.declarator)}) is declared outside this function and fills in \${…} there, once: write the text in the function to adopt it`,
    };
  const d = declarationOf(place, b);
  if (!vars.declarations.some((x) => x.start === d.start)) vars.declarations.push(d);
  return r;
}
