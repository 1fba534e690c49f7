// Lectern's Mustache as Jinja2 (the subset foreign-jinja2.ts reads): values as `{{ a.b }}`, a section over a
// declared text, number or flag as `{% if %}` (it renders once there), an inverted section as `{% if not %}`.
// A section over anything else (a list repeats, an object opens) has no one Jinja2 writing and is refused.
import type { VariableType } from "../content-model";
import { refuse, type IrNode } from "./ir";

const scalar = new Set<VariableType>(["string", "number", "boolean"]);
const jinjaName = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Scope = { types: ReadonlyMap<string, VariableType>; opened?: string[]; inText?: boolean };

function valuePath(path: string[], s: Scope): string[] {
  const where = `{{${path.join(".") || "."}}}`;
  if (!path.length) {
    if (!s.opened) refuse("current-context", `${where} prints the whole context, which Jinja2 has no name for`);
    return s.opened!;
  }
  if (s.inText && path[0] === "length")
    refuse("name", `${where} inside a section over a text reads the text's length in Lectern, a variable in Jinja2`);
  if (!path.every((p) => jinjaName.test(p))) refuse("name", `${where} is not a name Jinja2 reads as one`);
  return path;
}

/** The tree with each section resolved to a condition (`.` inside one is the value tested). */
export function jinjaReady(nodes: IrNode[], s: Scope): IrNode[] {
  return nodes.map((n): IrNode => {
    if (n.t === "value") return { t: "value", path: valuePath(n.path, s) };
    if (n.t === "unless") return { t: "unless", path: valuePath(n.path, s), body: jinjaReady(n.body, s) };
    if (n.t === "section" || n.t === "if") {
      const where = `{{#${n.path.join(".")}}}`;
      const type = n.path.length === 1 ? s.types.get(n.path[0]!) : undefined;
      if (!type || !scalar.has(type))
        refuse(
          "section",
          `${where} is a section over ${type ? `a ${type} variable` : "a value of unknown kind"}: it repeats over a list and opens an object, which Jinja2's {% if %} does not; only sections over a declared text, number or boolean are written`,
        );
      const inner = { ...s, opened: n.path, inText: s.inText || type === "string" };
      return { t: "if", path: valuePath(n.path, s), body: jinjaReady(n.body, inner) };
    }
    return n;
  });
}

// `{{`, `{%` and `{#` open a tag in Jinja2; a brace that would start one is written as a string.
const escapeText = (s: string, beforeTag: boolean) =>
  s.replace(/\{(?=[{%#])/g, '{{ "{" }}').replace(/\{$/, beforeTag ? '{{ "{" }}' : "{");

/** The resolved tree (jinjaReady) as Jinja2 text; `atEnd`: nothing follows these nodes. */
export function writeJinja2(nodes: IrNode[], atEnd = true): string {
  let out = "";
  nodes.forEach((n, i) => {
    if (n.t === "text") out += escapeText(n.s, i < nodes.length - 1 || !atEnd);
    else if (n.t === "value") out += `{{ ${n.path.join(".")} }}`;
    else if (n.t === "if" || n.t === "unless")
      out += `{% if ${n.t === "unless" ? "not " : ""}${n.path.join(".")} %}${writeJinja2(n.body, false)}{% endif %}`;
    else if (n.t === "comment") out += `{# ${n.s.trim().replace(/#\}/g, "# }")} #}`;
    else refuse(n.t === "partial" ? "partial" : "section", "only resolved trees are written as Jinja2");
  });
  return out;
}
