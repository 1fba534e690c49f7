// Lectern's side: a template text (Mustache, as lib/registry/templates/template-syntax.ts parses and renders it) to
// the shared tree, with each tag's place in the text so it can be rewritten where it stands. Partials are
// followed as Lectern renders them: a partial alone on its line gets a final newline when its text lacks
// one, and mustache.js indents the lines of a partial that follows text on its line; either is carried
// as text around the partial when the partial's text allows it, and refused when it does not.
import Mustache from "mustache";
import { parsePartialRef } from "../templates/partial-refs";
import { parseTemplate, templateTags } from "../templates/template-syntax";
import { checkName, currentValue, pushed, refuse, within, type IrNode, type Scope } from "./ir";

type Token = [string, string, number, number, ...unknown[]];

/** Where a tag stands in the text: [start, end) of the tag, and of its closing tag for a section. */
export type Place = { open: [number, number]; close?: [number, number] };
/** A node with its place, for the in-place writer (to-handlebars.ts). */
export type Placed = IrNode & { place?: Place; guard?: boolean };

/** What a partial contributes, by reference: its text, or why it cannot be used. */
export type PartialLookup = (ref: string) => { text: string } | { problem: string } | undefined;

export interface MustacheSource {
  text: string;
  /** For messages: "template", "template.messages[1]". */
  field: string;
  partials: PartialLookup;
}

const isName = (s: string) => s !== "" && !/[\s{}]/.test(s);

function pathOf(name: string, where: string): string[] {
  const path = name.split(".");
  if (name.startsWith(".") || path.some((p) => !isName(p)))
    refuse("name", `${where}: {{${name}}} is not a name both engines read the same way`);
  return path;
}

// A text as mustache.js parses it, without scope: text merged, tags by type and name, sections nested.
type Shape = (string | [string, string, Shape?])[];
function shape(text: string): Shape {
  const out: Shape = [];
  const walk = (tokens: Token[], into: Shape) => {
    for (const t of tokens) {
      if (t[0] === "text") {
        const last = into[into.length - 1];
        if (typeof last === "string") into[into.length - 1] = last + t[1];
        else into.push(t[1]);
      } else if (t[0] === "#" || t[0] === "^") {
        const inner: Shape = [];
        walk((t[4] as Token[]) ?? [], inner);
        into.push([t[0], t[1], inner]);
      } else if (t[0] !== "!") into.push([t[0], t[1]]);
    }
  };
  walk(Mustache.parse(text, templateTags) as unknown as Token[], out);
  return out.filter((x) => x !== "");
}

function affixed(before: string, inner: Shape, after: string): Shape {
  const out: Shape = [...inner];
  if (before) typeof out[0] === "string" ? (out[0] = before + out[0]) : out.unshift(before);
  const n = out.length - 1;
  if (after) typeof out[n] === "string" ? (out[n] = out[n] + after) : out.push(after);
  return out;
}

const indentPartial = (text: string, indentation: string, lineHasNonSpace: boolean) => {
  const indent = indentation.replace(/[^ \t]/g, "");
  return text
    .split("\n")
    .map((line, i) => (line.length && (i > 0 || !lineHasNonSpace) ? indent + line : line))
    .join("\n");
};

/**
 * A partial tag as Lectern renders it: text before and after the partial's own rendering, or a refusal
 * when the partial's lines would be indented (Handlebars indents a partial differently).
 */
function partialNodes(token: Token, source: string, src: MustacheSource, scope: Scope): Placed[] {
  const ref = token[1];
  const where = `{{> ${ref}}}`;
  if (!parsePartialRef(ref)) refuse("partial", `${where} is not a partial reference`);
  if (ref.includes("|"))
    refuse(
      "pinned-partial",
      `${where} pins a label or version: a Dotprompt partial is a name the application resolves`,
    );
  if (pushed(scope))
    refuse(
      "partial-in-section",
      `${where} inside a section that repeats over a list or opens an object: Handlebars would render it with the item alone`,
    );
  const found = src.partials(ref);
  if (!found) return refuse("partial", `${where}: partial ${ref} not found`);
  if ("problem" in found) return refuse("partial", `${where}: ${found.problem}`);
  const after = source.slice(token[3]);
  const [indentation, tagIndex, lineHasNonSpace] = [token[4] as string, token[5] as number, token[6] as boolean];
  // The same two rules template-syntax.ts and mustache.js apply when rendering.
  const tweak = !lineHasNonSpace && /^[ \t]*(\r?\n|$)/.test(after) && !found.text.endsWith("\n") && /\r?\n/.test(after);
  const withNewline = tweak ? `${found.text}\n` : found.text;
  const rendered =
    tagIndex === 0 && indentation ? indentPartial(withNewline, indentation, lineHasNonSpace) : withNewline;
  const before = rendered.length > withNewline.length && !lineHasNonSpace ? indentation.replace(/[^ \t]/g, "") : "";
  if (JSON.stringify(shape(rendered)) !== JSON.stringify(affixed(before, shape(found.text), tweak ? "\n" : "")))
    refuse(
      "partial-indentation",
      `${where} follows text or indentation on its line and its text has several lines: Lectern (Mustache) indents them, Dotprompt (Handlebars) does not. Put the partial at the start of its own line.`,
    );
  const place: Place = { open: [token[2], token[3]] };
  return [
    { t: "text", s: before },
    { t: "partial", name: ref, place, guard: tweak || before !== "" },
    { t: "text", s: tweak ? "\n" : "" },
  ];
}

function sectionFrame(path: string[], scope: Scope, where: string): { node: "if" | "section"; scope: Scope } {
  if (pushed(scope)) return { node: "section", scope: within(scope, { kind: "push" }) };
  const kind = scope.kinds.get(path[0]!);
  if (kind === undefined) return refuse("undeclared", `${where} uses ${path[0]}, which is not a variable`);
  if (path.length === 1) {
    if (kind === "boolean") return { node: "if", scope: within(scope, { kind: "if" }) };
    if (kind === "string" || kind === "number")
      return { node: "if", scope: within(scope, { kind: "if", value: path }) };
    if (kind === "image") return refuse("image", `${where}: an image variable in a section`);
  }
  // `{{#items.length}}`: a list tested for items, without repeating over them.
  if (path.length === 2 && path[1] === "length" && (kind === "any" || kind === "list"))
    return { node: "if", scope: within(scope, { kind: "if", value: path }) };
  return { node: "section", scope: within(scope, { kind: "push" }) };
}

function walk(tokens: Token[], scope: Scope, src: MustacheSource, source: string): Placed[] {
  const out: Placed[] = [];
  for (const token of tokens) {
    const [type, value, start, end] = token;
    const where = `{{${type === "name" ? "" : type}${value}}}`;
    switch (type) {
      case "text":
        out.push({ t: "text", s: value });
        break;
      case "name":
      case "&": {
        const path = value === "." ? currentValue(scope, where) : pathOf(value, where);
        if (value !== ".") checkName(scope, path, where);
        const kind = path.length === 1 && !pushed(scope) ? scope.kinds.get(path[0]!) : undefined;
        const json = kind === "any" || kind === "list" || kind === "object";
        out.push({ t: "value", path, ...(json && { json }), place: { open: [start, end] } });
        break;
      }
      case "#":
      case "^": {
        if (value === ".") refuse("section", `${where}: a section over the current item`);
        const path = pathOf(value, where);
        checkName(scope, path, where);
        const closeStart = token[5] as number;
        const place: Place = { open: [start, end], close: [closeStart, source.indexOf("}}", closeStart) + 2] };
        const children = (token[4] as Token[]) ?? [];
        if (type === "^") {
          out.push({ t: "unless", path, body: walk(children, scope, src, source), place });
          break;
        }
        const frame = sectionFrame(path, scope, where);
        out.push({ t: frame.node, path, body: walk(children, frame.scope, src, source), place });
        break;
      }
      case ">":
        out.push(...partialNodes(token, source, src, scope));
        break;
      case "!":
        out.push({ t: "comment", s: value, place: { open: [start, end] } });
        break;
      default:
        refuse("tag", `${where} is not supported`);
    }
  }
  return out;
}

/** A Lectern template text as the shared tree, each tag with its place in the text. */
export function mustacheToIr(src: MustacheSource, scope: Scope): Placed[] {
  return walk(parseTemplate(src.text, src.field) as unknown as Token[], scope, src, src.text);
}
