// What `lectern adopt` finds and proposes: the shapes shared by the JavaScript/TypeScript and Python finders,
// the rewriters and the command, and variable names from the code that fills them in (prompt names: naming.ts).

export type VarType = "string" | "number" | "boolean";

export interface FoundVariable {
  name: string;
  type: VarType;
  /** The source expression that fills it in (TypeScript/JavaScript or Python). */
  expr: string;
  /** The checker did not know the type: the rewrite passes String(expr), as the template literal did. */
  stringify: boolean;
  /** Where the expression sits in the file (JavaScript/TypeScript), for the type checker. */
  at?: [number, number];
}

/** A `const` whose text was adopted where it is used: --write removes it when that was its only use. */
export interface Declaration {
  name: string;
  line: number;
  /** The statement's character offsets and text; remove is false when it stays (exported, or read elsewhere). */
  start: number;
  end: number;
  source: string;
  remove: boolean;
}

export type ChatEntry = { role: string; content: string } | { type: "placeholder"; name: string };

/** One hardcoded prompt: a message list (chat) or a string (text) passed to a model call. */
export interface Found {
  file: string;
  line: number;
  /** The call as written: client.chat.completions.create, generateText, PromptTemplate.fromTemplate… */
  call: string;
  /** The argument property it was passed as: messages, system, prompt, instructions, input, template. */
  property: string;
  /** The enclosing function (or variable) name, for the prompt name. */
  fn?: string;
  type: "text" | "chat";
  template: string | ChatEntry[];
  variables: FoundVariable[];
  /** Chat placeholders and the expressions (spread message lists) that fill them in. */
  placeholders: { name: string; expr: string }[];
  /** Expressions that are not a plain name or property access, renamed; said in the report. */
  notes: string[];
  /** Where the value sits in the source (character offsets), for --write. */
  start: number;
  end: number;
  /**
   * How the fetched prompt takes the value's place: as the value; as a property written `{ system }`
   * (`system: …`); or spread into the message list it was part of (`...…`), whose other entries stay.
   */
  placement?: "value" | "property" | "spread";
  /** Constants the text came from. */
  declarations?: Declaration[];
  /** The value's source text, to check the file did not change before --write. */
  source: string;
  /** Where the call starts: findings of one call share it. */
  callAt: number;
  /** The callee as a dotted name (for a type of the parameter in the rewrite), when it is one. */
  callee?: string;
  /** Why --write cannot rewrite this one (the prompt is still created). */
  noRewrite?: string;
  /** LangChain templates keep their own {x} syntax: the rewrite renders each variable back to it. */
  langchain?: boolean;
  language: "ts" | "js" | "py";
}

export interface LeftAlone {
  file: string;
  line: number;
  call: string;
  property: string;
  reason: string;
}

export interface FindResult {
  found: Found[];
  leftAlone: LeftAlone[];
  /** Files skipped and why (too large, unreadable, outside the directory). */
  skipped: { file: string; reason: string }[];
}

export const variableNamePattern = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** A valid variable name from the identifiers of an expression: user.name → user_name, fn() → fn. */
export function variableNameFor(expr: string, identifiers: string[], fallbackIndex: number): string {
  const words = identifiers.map((w) => w.replace(/[^A-Za-z0-9_]/g, "")).filter((w) => w !== "");
  let name = words.join("_").slice(0, 64);
  if (!name) name = `value${fallbackIndex}`;
  if (!/^[A-Za-z_]/.test(name)) name = `v_${name}`.slice(0, 64);
  return variableNamePattern.test(name) ? name : `value${fallbackIndex}`;
}

/** Mustache reads {{ in literal text as a tag: such text cannot be adopted as it is. */
export const hasMustache = (text: string) => text.includes("{{") || text.includes("}}");

/** The variables of a prompt as the server takes them. */
export const serverVariables = (f: Found) =>
  f.variables.map((v) => ({ name: v.name, type: v.type, required: true, description: `from ${v.expr}`.slice(0, 500) }));

export function describeFound(f: Found): string {
  return `found in ${f.file}:${f.line}${f.fn ? ` (${f.fn})` : ""}, the ${f.property} of ${f.call}; adopted by lectern adopt`;
}
