// How a variable the template uses but does not declare should be declared, read from how the
// template uses it: a name that appears only as a {{#section}} / {{^inverted}} condition or inside
// one is optional (the template reads fine without it); a name used with a dot or iterated with
// {{.}} is JSON; a name used only as a condition is a boolean. Pure.
import type { VariableType } from "../content-model";
import { parseTemplate } from "./template-syntax";

export interface DeclarationSuggestion {
  type: VariableType;
  required: boolean;
  /** Why, in a few words, for the editor's hint. */
  reason: string;
}

type Token = [string, string, number, number, ...unknown[]];

interface Usage {
  /** A value use ({{x}}, {{&x}}, {{{x}}}) outside every section. */
  unguarded: boolean;
  /** Any value use at all. */
  value: boolean;
  /** Used as the name of a section or inverted section. */
  section: boolean;
  /** x.y, or {{.}} / {{.y}} inside {{#x}}: x holds an object or a list. */
  structured: boolean;
}

function walk(tokens: Token[], name: string, guarded: boolean, inOwnSection: boolean, u: Usage): void {
  for (const [type, value, , , children] of tokens) {
    const head = value.split(".")[0];
    if ((type === "name" || type === "&") && inOwnSection && (value === "." || value.startsWith(".")))
      u.structured = true;
    if (head !== name || value === "") {
      if ((type === "#" || type === "^") && Array.isArray(children))
        walk(children as Token[], name, true, inOwnSection && type === "^", u);
      continue;
    }
    if (value.includes(".")) u.structured = true;
    if (type === "name" || type === "&") {
      u.value = true;
      if (!guarded) u.unguarded = true;
    } else if (type === "#" || type === "^") {
      u.section = true;
      if (Array.isArray(children)) walk(children as Token[], name, true, type === "#", u);
    }
  }
}

/** A suggestion for declaring `name`, from every template text of the prompt. */
export function suggestDeclaration(texts: string[], name: string): DeclarationSuggestion {
  const u: Usage = { unguarded: false, value: false, section: false, structured: false };
  for (const text of texts) {
    try {
      walk(parseTemplate(text) as Token[], name, false, false, u);
    } catch {
      // A template that does not parse yet tells us nothing; the safe default is below.
    }
  }
  const type: VariableType = u.structured ? "json" : u.section && !u.value ? "boolean" : "string";
  if (u.unguarded || (!u.value && !u.section && !u.structured))
    return { type, required: true, reason: "The template always shows it." };
  return {
    type,
    required: false,
    reason: u.value
      ? "Used only inside {{#…}} or {{^…}} sections, so the prompt reads fine without it."
      : "Used only as a condition ({{#…}} / {{^…}}), so it may be left out.",
  };
}
