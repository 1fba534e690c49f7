// Turns the value passed to a model call (a string literal, a template literal, a list of messages) into
// a Lectern template, read from the TypeScript syntax tree: `${customer}` becomes {{customer}}, typed by
// the checker where it knows the type; anything else is refused with the reason.
import type * as TS from "typescript";
import { hasMustache, variableNameFor, type ChatEntry, type FoundVariable, type VarType } from "./model";

export type TsModule = typeof TS;

/** Collects the variables of one prompt: the same expression twice is one variable. */
export class Vars {
  readonly list: FoundVariable[] = [];
  readonly notes: string[] = [];
  /** Spread message lists (...history): chat placeholders, filled in with the same expression. */
  readonly placeholders: { name: string; expr: string }[] = [];
  constructor(
    private readonly ts: TsModule,
    private readonly checker: TS.TypeChecker,
  ) {}

  private unique(name: string, expr: string): FoundVariable | string {
    const same = this.list.find((v) => v.expr === expr);
    if (same) return same;
    const taken = (n: string) => this.list.some((v) => v.name === n) || this.placeholders.some((p) => p.name === n);
    let n = name;
    for (let i = 2; taken(n); i++) n = `${name.slice(0, 60)}_${i}`;
    return n;
  }

  /** The variable an expression fills in, added if new. */
  of(expr: TS.Expression, opts: { placeholder?: boolean } = {}): FoundVariable {
    const ts = this.ts;
    const text = expr.getText();
    const shown = text.replace(/\s+/g, " ");
    const path = entityPath(ts, expr);
    const ids = path ?? identifiersIn(ts, expr).slice(0, 3);
    let base = variableNameFor(
      text,
      ids.filter((w) => w !== "this"),
      this.list.length + 1,
    );
    if (opts.placeholder && !/^[A-Za-z]/.test(base)) base = `m${base}`.slice(0, 64);
    const got = this.unique(base, text);
    if (typeof got !== "string") return got;
    if (!path && !opts.placeholder)
      this.notes.push(`\${${shown}} is not a plain name or property access: it became {{${got}}}`);
    const type = opts.placeholder ? undefined : typeOf(ts, this.checker, expr);
    const v: FoundVariable = { name: got, type: type ?? "string", expr: text, stringify: !opts.placeholder && !type };
    if (opts.placeholder) this.placeholders.push({ name: got, expr: text });
    else this.list.push(v);
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

/** a, a.b.c, this.a.b: the names, or undefined for any other expression. */
export function entityPath(ts: TsModule, e: TS.Expression): string[] | undefined {
  if (ts.isIdentifier(e)) return [e.text];
  if (e.kind === ts.SyntaxKind.ThisKeyword) return ["this"];
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.name)) {
    const left = entityPath(ts, e.expression);
    return left && [...left, e.name.text];
  }
  return undefined;
}

function identifiersIn(ts: TsModule, e: TS.Node): string[] {
  const out: string[] = [];
  const visit = (n: TS.Node) => {
    if (ts.isIdentifier(n) && !out.includes(n.text)) out.push(n.text);
    ts.forEachChild(n, visit);
  };
  visit(e);
  return out;
}

function typeOf(ts: TsModule, checker: TS.TypeChecker, e: TS.Expression): VarType | undefined {
  const kind = (t: TS.Type): VarType | undefined => {
    if (t.flags & ts.TypeFlags.StringLike) return "string";
    if (t.flags & ts.TypeFlags.NumberLike) return "number";
    if (t.flags & ts.TypeFlags.BooleanLike) return "boolean";
    if (t.isUnion()) {
      const kinds = new Set(t.types.map(kind));
      return kinds.size === 1 ? [...kinds][0] : undefined;
    }
    return undefined;
  };
  try {
    return kind(checker.getTypeAtLocation(e));
  } catch {
    return undefined;
  }
}

export function unwrap(ts: TsModule, e: TS.Expression): TS.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

export const isTextLiteral = (ts: TsModule, e: TS.Expression) =>
  ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isTemplateExpression(e);

/** A LangChain f-string piece ({x}) as a Lectern one; escaped braces ({{, }}) are refused. */
export function fromFString(text: string, vars: Vars): { text: string } | { reason: string } {
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

/**
 * The Lectern template of a string or template literal, or why it is left alone. LangChain's literal
 * pieces are its own templates: their {x} become variables too.
 */
export function textOf(
  ts: TsModule,
  e0: TS.Expression,
  vars: Vars,
  langchain = false,
): { text: string } | { reason: string } {
  const e = unwrap(ts, e0);
  const mustache = { reason: "the text contains {{ or }}, which Lectern would read as a template tag" };
  const piece = (s: string): { text: string } | { reason: string } =>
    langchain ? fromFString(s, vars) : hasMustache(s) ? mustache : { text: s };
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return piece(e.text);
  if (ts.isTemplateExpression(e)) {
    const head = piece(e.head.text);
    if ("reason" in head) return head;
    let text = head.text;
    for (const span of e.templateSpans) {
      const name = vars.of(span.expression).name;
      const tail = piece(span.literal.text);
      if ("reason" in tail) return tail;
      text += `{{${name}}}${tail.text}`;
    }
    return { text };
  }
  return { reason: "not a literal or template string (a variable holding text built elsewhere)" };
}

const roles = new Set(["system", "user", "assistant", "developer"]);
const langchainRoles: Record<string, string> = {
  system: "system",
  human: "user",
  user: "user",
  ai: "assistant",
  assistant: "assistant",
};

/** A list of messages written at the call, or why it is left alone. */
export function messagesOf(
  ts: TsModule,
  e0: TS.Expression,
  vars: Vars,
  style: "sdk" | "langchain",
): { template: ChatEntry[] } | { reason: string } {
  const e = unwrap(ts, e0);
  if (!ts.isArrayLiteralExpression(e))
    return { reason: "not a list of messages written at the call (built elsewhere)" };
  const template: ChatEntry[] = [];
  let literalText = false;
  for (const [i, el] of e.elements.entries()) {
    const at = `message ${i + 1}`;
    if (ts.isSpreadElement(el)) {
      if (!entityPath(ts, el.expression)) return { reason: `${at} spreads an expression that is not a plain name` };
      template.push({ type: "placeholder", name: vars.of(el.expression, { placeholder: true }).name });
      continue;
    }
    let role: string | undefined;
    let content: TS.Expression | undefined;
    if (style === "langchain" && ts.isArrayLiteralExpression(el) && el.elements.length === 2) {
      const [r, c] = el.elements;
      if (r && ts.isStringLiteral(r) && r.text === "placeholder" && c && ts.isStringLiteral(c)) {
        const name = c.text.replace(/^\{|\}$/g, "");
        if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(name))
          return { reason: `${at} is a placeholder with an unusual name` };
        template.push({ type: "placeholder", name });
        continue;
      }
      role = r && ts.isStringLiteral(r) ? langchainRoles[r.text] : undefined;
      content = c && !ts.isSpreadElement(c) ? c : undefined;
    } else if (ts.isObjectLiteralExpression(el)) {
      for (const p of el.properties) {
        const key = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
        if (!ts.isPropertyAssignment(p) || (key !== "role" && key !== "content"))
          return { reason: `${at} has other fields than role and content` };
        if (key === "role") {
          const r = unwrap(ts, p.initializer);
          role = ts.isStringLiteral(r) && roles.has(r.text) ? r.text : undefined;
        } else content = p.initializer;
      }
    } else return { reason: `${at} is not a {role, content} object written at the call` };
    if (!role || !content) return { reason: `${at} has no role Lectern knows written as a string, or no content` };
    const c = unwrap(ts, content);
    if (isTextLiteral(ts, c)) {
      const t = textOf(ts, c, vars, style === "langchain");
      if ("reason" in t) return { reason: `${at}: ${t.reason}` };
      const text = t.text;
      template.push({ role, content: text });
      literalText = true;
    } else if (entityPath(ts, c) && style === "sdk") {
      const v = vars.of(c);
      vars.notes.push(`${at}'s content is the variable ${v.expr}: it became {{${v.name}}}`);
      template.push({ role, content: `{{${v.name}}}` });
    } else return { reason: `${at}'s content is not text written at the call (parts, or built elsewhere)` };
  }
  if (!literalText) return { reason: "no text is written at the call: every message comes from variables" };
  return { template };
}
