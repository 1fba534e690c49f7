// Declared variables against the names templates use (at save time) and against the values a
// caller supplies (at render time).
import type { Content, Message, Variable } from "../content";
import {
  describeValueType,
  isPlaceholder,
  isMessageRole,
  placeholderNames,
  templateTexts,
  valueMatchesType,
} from "../content-model";
import { imageUrlProblem, isImageVariablePart, maxImageBytes } from "../content-parts";
import { analyzeTemplate, templateUses } from "./template-syntax";

export interface InvalidVariable {
  name: string;
  /** A variable's type, or "messages" for a placeholder (a list of {role, content}). */
  expected: Variable["type"] | "messages";
  got: string;
  /** When the value has the type but not the variable's schema: where it fails (`items[0].name`) and how. */
  path?: string;
  problem?: string;
}

/** A variable's schema check (the server's is variable-schema.ts's schemaValueProblem; the SDK has none). */
export type SchemaCheck = (name: string, schema: unknown, value: unknown) => { path: string; message: string } | null;

export interface CoercedVariables {
  /** Declared variables only: supplied values, else declared defaults. Unknown names are dropped. */
  values: Record<string, unknown>;
  /** Required variables with neither a value nor a default. */
  missing: string[];
  invalid: InvalidVariable[];
  /** Supplied names no variable declares. */
  unknown: string[];
}

/**
 * Applies defaults and checks types, strictly: "3" is not a number and "true" is not a boolean,
 * because silently converting would hide a caller sending the wrong field. An explicit undefined
 * counts as not supplied; null is a value (valid only for json variables).
 */
export function coerceVariables(
  variables: Variable[],
  values: Record<string, unknown>,
  checkSchema?: SchemaCheck,
): CoercedVariables {
  // No prototype: a variable named "constructor" or "toString" must not find Object.prototype's.
  const out = Object.create(null) as Record<string, unknown>;
  const missing: string[] = [];
  const invalid: InvalidVariable[] = [];
  const declared = new Set<string>();

  for (const v of variables) {
    declared.add(v.name);
    const value = Object.hasOwn(values, v.name) ? values[v.name] : undefined;
    if (value !== undefined) {
      const off = !valueMatchesType(v.type, value)
        ? { got: gotFor(v.type, value) }
        : v.schema && checkSchema
          ? checkSchema(v.name, v.schema, value)
          : null;
      if (!off) out[v.name] = value;
      else if ("got" in off) invalid.push({ name: v.name, expected: v.type, got: off.got });
      else
        invalid.push({
          name: v.name,
          expected: v.type,
          got: "a value its schema refuses",
          path: off.path,
          problem: off.message,
        });
    } else if (v.default !== undefined) {
      out[v.name] = v.default;
    } else if (v.required) {
      missing.push(v.name);
    }
  }
  const unknown = Object.keys(values).filter((k) => !declared.has(k));
  return { values: out, missing, invalid, unknown };
}

// For an image, what is wrong with the string says more than "got string".
const gotFor = (type: Variable["type"], value: unknown): string =>
  type === "image" && typeof value === "string"
    ? `a string that is not an image (${imageUrlProblem(value, maxImageBytes)})`
    : describeValueType(value);

export interface VariableCheck {
  undeclared: string[];
  unused: string[];
}

/**
 * Compares the names a content's templates use with the variables it declares.
 *
 * partialDeclared: the variables declared by the partials this content uses, by partial name
 * (e.g. resolvePartialGraph(...).declared); every entry counts as declared.
 *
 * - A name used outside any {{#section}} is undeclared unless the content or a partial declares it.
 * - A name used inside {{#section}} bodies only is also satisfied when any enclosing section's
 *   variable is declared with type "json": it is then presumably a property of the list item or
 *   object, which we cannot check.
 * - A declared variable is unused when no piece uses it (as a value or a section name) and no
 *   partial declares a variable of that name (it is then handed on to the partial).
 */
export function checkVariables(content: Content, partialDeclared: Record<string, Variable[]> = {}): VariableCheck {
  const fromPartials = Object.values(partialDeclared).flat();
  const all = [...content.variables, ...fromPartials];
  const declared = new Set(all.map((v) => v.name));
  const json = new Set(all.filter((v) => v.type === "json").map((v) => v.name));

  const undeclared: string[] = [];
  const used = new Set<string>();
  for (const piece of templateTexts(content)) {
    for (const use of templateUses(piece.text, piece.field).uses) {
      used.add(use.name);
      if (declared.has(use.name) || use.sections.some((s) => json.has(s))) continue;
      if (!undeclared.includes(use.name)) undeclared.push(use.name);
    }
  }
  for (const name of imageVariableNames(content)) {
    used.add(name);
    if (!declared.has(name) && !undeclared.includes(name)) undeclared.push(name);
  }
  const handedOn = new Set(fromPartials.map((v) => v.name));
  const unused = content.variables.map((v) => v.name).filter((n) => !used.has(n) && !handedOn.has(n));
  return { undeclared, unused };
}

/** A message given for a placeholder: data with text content, inserted as given. */
export type PlaceholderMessage = { role: Message["role"]; content: string };

/** The variables a chat content's image parts name, in order. */
export function imageVariableNames(content: Content): string[] {
  if (content.type !== "chat") return [];
  const names = content.template.flatMap((m) =>
    isPlaceholder(m) || typeof m.content === "string"
      ? []
      : m.content.filter(isImageVariablePart).map((p) => p.variable),
  );
  return [...new Set(names)];
}

/**
 * Image variables are used only by image parts, and image parts only take image variables: a data: URL
 * pasted into text through {{photo}} would send megabytes of base64 as words.
 */
export function imageVariableProblems(content: Content, partialDeclared: Record<string, Variable[]> = {}): string[] {
  const all = [...content.variables, ...Object.values(partialDeclared).flat()];
  const images = new Set(all.filter((v) => v.type === "image").map((v) => v.name));
  const problems: string[] = [];
  for (const name of imageVariableNames(content)) {
    const v = all.find((x) => x.name === name);
    if (v && v.type !== "image")
      problems.push(`image part uses variable ${name}, which is a ${v.type} variable: declare it with type image`);
  }
  for (const piece of templateTexts(content))
    for (const use of templateUses(piece.text, piece.field).uses)
      if (images.has(use.name))
        problems.push(
          `${piece.key} uses image variable ${use.name} in text: put it in an image part {type: "image", variable: "${use.name}"}`,
        );
  return [...new Set(problems)];
}

const isMessage = (v: unknown): v is PlaceholderMessage =>
  typeof v === "object" &&
  v !== null &&
  !Array.isArray(v) &&
  isMessageRole((v as PlaceholderMessage).role) &&
  typeof (v as PlaceholderMessage).content === "string";

export interface PlaceholderValues {
  /** Placeholder name → the messages to put in its place (each copied as {role, content}). */
  messages: Record<string, PlaceholderMessage[]>;
  missing: string[];
  invalid: InvalidVariable[];
}

/**
 * The messages supplied for a chat prompt's placeholders. Every placeholder needs a value: a list
 * of {role, content} messages ([] for none). The messages are data, inserted as given: they are not
 * templates, so a variable or partial tag inside one stays text.
 */
export function placeholderValues(content: Content, values: Record<string, unknown>): PlaceholderValues {
  const messages = Object.create(null) as Record<string, PlaceholderMessage[]>;
  const missing: string[] = [];
  const invalid: InvalidVariable[] = [];
  for (const name of new Set(placeholderNames(content))) {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) missing.push(name);
    else if (!Array.isArray(value) || !value.every(isMessage))
      invalid.push({
        name,
        expected: "messages",
        got: Array.isArray(value)
          ? "a list with an item that is not a {role, content} message"
          : describeValueType(value),
      });
    else messages[name] = value.map((m) => ({ role: m.role, content: m.content }));
  }
  return { messages, missing, invalid };
}

/**
 * Variables a template without declarations uses (Langfuse's, another system's Mustache), declared optional
 * as Mustache renders a missing name as nothing: a plain {{name}} as a string, a name used with dots or as
 * a section as JSON (it holds an object or a list).
 */
export function inferVariables(texts: string[]) {
  const plain = new Set<string>();
  const structured = new Set<string>();
  for (const t of texts) {
    const a = analyzeTemplate(t);
    for (const n of [...a.variables.topLevel, ...a.variables.inSections]) plain.add(n);
    for (const n of a.sections) structured.add(n);
    for (const m of t.matchAll(/\{\{\{?[&#^]?\s*([A-Za-z_][A-Za-z0-9_]*)\./g)) structured.add(m[1]!);
  }
  return [...plain]
    .filter((name) => /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name))
    .map((name) => ({
      name,
      type: (structured.has(name) ? "json" : "string") as "json" | "string",
      required: false,
    }));
}
