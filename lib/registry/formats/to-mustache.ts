// Writing Lectern's Mustache for an imported Dotprompt template, two ways: with the whitespace as it was
// written around each tag (Mustache then drops the same standalone lines Handlebars did), or with the
// exact text that rendered. The caller keeps the first that Lectern's own parser reads back to the same
// tree; Mustache has no empty tag to keep a line from being standalone, so when neither does, the
// import is refused.
import { refuse, type IrNode } from "./ir";

const path = (p: string[]) => (p.length ? p.join(".") : ".");

function text(s: string): string {
  if (s.includes("{{"))
    refuse(
      "literal-braces",
      `the text ${JSON.stringify(s.slice(s.indexOf("{{"), s.indexOf("{{") + 20))} holds "{{", which Lectern's templates always read as a tag`,
    );
  return s;
}

/** The tree as Mustache. `original`: write text as it was before Handlebars removed whitespace around tags. */
export function mustacheFromIr(nodes: IrNode[], original: boolean): string {
  let out = "";
  for (const n of nodes) {
    switch (n.t) {
      case "text":
        out += text(original ? (n.o ?? n.s) : n.s);
        break;
      case "value":
        out += `{{${path(n.path)}}}`;
        break;
      case "if":
      case "section":
        out += `{{#${path(n.path)}}}${mustacheFromIr(n.body, original)}{{/${path(n.path)}}}`;
        break;
      case "unless":
        out += `{{^${path(n.path)}}}${mustacheFromIr(n.body, original)}{{/${path(n.path)}}}`;
        break;
      case "partial":
        out += `{{> ${n.name}}}`;
        break;
      case "comment":
        // An empty comment is the export's guard (to-handlebars.ts): it carries nothing.
        if (n.s.trim()) out += `{{! ${n.s.trim().replace(/}}/g, "} }")}}}`;
        break;
    }
  }
  return out;
}
