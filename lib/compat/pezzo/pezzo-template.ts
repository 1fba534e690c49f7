// Lectern's Mustache as Pezzo's `{name}` text (syntax.ts: how Pezzo's client fills it). It is written as an
// f-string first (lib/registry/formats/foreign-templates.ts: `{name}`, `{{` for a literal brace), then as
// Pezzo's text, kept only when Pezzo's own pattern finds exactly the variables written: Pezzo has no escape
// for a literal brace.
import { AppError } from "../../errors";
import { FormatRefusal, refusalError, refuse } from "../../registry/formats/ir";
import { toForeignTemplate } from "../../registry/formats/foreign-templates";
import { pezzoVariablePattern } from "./syntax";

const fieldPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An f-string as literal text and `{name}` fields, its `{{` and `}}` read as the braces they stand for. */
function readFString(text: string): { out: string; fields: number[] } {
  let out = "";
  const fields: number[] = [];
  for (let i = 0; i < text.length;) {
    const c = text[i]!;
    if ((c === "{" || c === "}") && text[i + 1] === c) {
      out += c;
      i += 2;
    } else if (c === "{") {
      const end = text.indexOf("}", i);
      const name = end < 0 ? "" : text.slice(i + 1, end);
      if (!fieldPattern.test(name))
        refuse("f-string-field", `{${name}: Pezzo's client fills only plain variable names`);
      fields.push(out.length);
      out += `{${name}}`;
      i = end + 1;
    } else {
      out += c;
      i += 1;
    }
  }
  return { out, fields };
}

/**
 * Lectern's Mustache (partials already expanded) as Pezzo's text, or a FormatRefusal naming what Pezzo's client
 * cannot fill exactly: a construct Mustache has and `{name}` lacks (sections, dotted names), or literal text
 * Pezzo's client would read as a variable (`{word}` has no escape in Pezzo).
 */
export function toPezzoText(template: string, field: string): string {
  const { out, fields } = readFString(toForeignTemplate(template, "f-string", field));
  const found = [...out.matchAll(pezzoVariablePattern)];
  for (const m of found)
    if (!fields.includes(m.index))
      refuse(
        "literal-variable",
        `the text ${m[0]} would be read by Pezzo's client as the variable ${m[1]!}, and Pezzo has no way to write it as text`,
        field,
      );
  return out;
}

/** A conversion's refusal as the one error shape (422 naming the construct and the field), anything else as is. */
export function pezzoRefusal(e: unknown, field?: string): unknown {
  if (!(e instanceof FormatRefusal)) return e;
  // The conversion speaks of the f-string it writes on the way; the reader knows Pezzo's syntax.
  const message = e.message.replace(/\ban f-string\b/g, "Pezzo's {name} syntax");
  return refusalError(new FormatRefusal(e.construct, message, e.field), "Pezzo", field);
}

/** A 422 for something a Pezzo prompt cannot carry at all (a skill, a placeholder, an image). */
export const cannotCarry = (construct: string, message: string, field: string) =>
  new AppError("unprocessable", `Pezzo: ${field}: ${message}`, { construct, field, format: "Pezzo" });
