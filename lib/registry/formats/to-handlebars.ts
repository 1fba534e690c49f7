// Writing Handlebars for Dotprompt, two ways. In place: the Lectern text as written, each tag replaced by
// its Handlebars counterpart, so the file reads like the prompt (both engines drop the same lines around
// a tag alone on its line, which is the common case). From the tree: the exact text that renders, with
// an empty comment `{{!}}` beside each tag so Handlebars treats no line as standalone. The caller keeps
// the first that the library's own parser reads back to the same tree.
import { helperNames, literalWords } from "./handlebars-ir";
import { refuse, type IrNode } from "./ir";
import type { Placed } from "./mustache-ir";

// Handlebars reads a name segment up to any of these; others are written as [segment].
const idChars = /^[^\s!"#%-,./;->@[-^`{-~]+$/;
const numeric = /^-?[0-9]/;

export function hbsPath(path: string[]): string {
  if (path.length === 0) return "this";
  const segments = path.map((s) => {
    if (idChars.test(s) && !numeric.test(s)) return s;
    if (s.includes("]")) return refuse("name", `${path.join(".")}: "${s}" cannot be written as a Handlebars name`);
    return `[${s}]`;
  });
  // A variable named like a helper (json, role…) or a literal (true…) must be read as a name.
  const head = path[0]!;
  return helperNames.includes(head) || literalWords.includes(head) ? `this.${segments.join(".")}` : segments.join(".");
}

export function partialName(name: string): string {
  if (!name.split(/[/.]/).every((s) => idChars.test(s) && !numeric.test(s)))
    refuse("partial-name", `{{> ${name}}}: Handlebars cannot write ${name} as a partial name`);
  return name;
}

const marker = "<<<dotprompt:";

/** Text as Handlebars content: a backslash right before a tag would escape it, so one more is added. */
function content(text: string, beforeTag: boolean): string {
  if (text.includes(marker)) refuse("marker", `the text "${marker}" is Dotprompt's own marker for messages and media`);
  return beforeTag && text.endsWith("\\") ? `${text}\\` : text;
}

function comment(s: string): string {
  const text = s.trim();
  return text.startsWith("-") || text.includes("}}") ? `{{!-- ${text.replace(/--}}/g, "-- }}")} --}}` : `{{! ${text}}}`;
}

type Tags = { open: string; close?: string };

function tags(n: IrNode): Tags {
  switch (n.t) {
    case "value":
      return { open: n.json ? `{{json ${hbsPath(n.path)}}}` : `{{${hbsPath(n.path)}}}` };
    case "if":
      return { open: `{{#if ${hbsPath(n.path)}}}`, close: "{{/if}}" };
    case "unless":
      return { open: `{{#unless ${hbsPath(n.path)}}}`, close: "{{/unless}}" };
    case "section":
      return { open: `{{#${hbsPath(n.path)}}}`, close: `{{/${hbsPath(n.path)}}}` };
    case "partial":
      return { open: `{{> ${partialName(n.name)}}}` };
    case "comment":
      return { open: comment(n.s) };
    case "text":
      return { open: "" };
  }
}

/** The Lectern text with each tag rewritten where it stands (whitespace exactly as written). */
export function handlebarsInPlace(source: string, nodes: Placed[]): string {
  let out = "";
  let cursor = 0;
  const visit = (list: Placed[]) => {
    for (const n of list) {
      if (!n.place) continue;
      const t = tags(n);
      out += content(source.slice(cursor, n.place.open[0]), true) + t.open + (n.guard ? "{{!}}" : "");
      cursor = n.place.open[1];
      if ((n.t === "if" || n.t === "unless" || n.t === "section") && n.place.close) {
        visit(n.body as Placed[]);
        out += content(source.slice(cursor, n.place.close[0]), true) + t.close;
        cursor = n.place.close[1];
      }
    }
  };
  visit(nodes);
  return out + content(source.slice(cursor), false);
}

/** The exact text that renders, each tag guarded so that Handlebars strips no whitespace around it. */
export function handlebarsFromIr(nodes: IrNode[], root = true): string {
  let out = "";
  nodes.forEach((n, i) => {
    if (n.t === "comment") return;
    if (n.t === "text") {
      out += content(n.s, !root || i < nodes.length - 1);
      return;
    }
    const t = tags(n);
    if (n.t === "if" || n.t === "unless" || n.t === "section")
      out += `${t.open}{{!}}${handlebarsFromIr(n.body, false)}{{!}}${t.close}`;
    else out += t.open + (n.t === "partial" ? "{{!}}" : "");
  });
  return out;
}
