// Python's str.format as LangChain's and PromptLayer's f-string templates use it: `{name}` prints a value,
// `{{` and `}}` print a brace. What Python and LangChain read differently — attribute and index lookups
// (`{user.name}`, `{items[0]}`: LangChain looks the whole text up as one name), conversions (`{x!r}`),
// format specs (`{x:>10}`), positional fields (`{}`, `{0}`) — is refused, named. One pass, linear in the
// text; a field ends at the first `}` (LangChain's rule; Python's would end later only where the field
// holds a `{`, which is refused either way).
import { refuse, type IrNode } from "./ir";
import { spendTag, type TagBudget } from "./foreign-mustache";

/** A name Lectern can declare as a variable, and that both Python and LangChain read as one key. */
export const variableName = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

const fieldConstructs: [string, string, string][] = [
  [".", "attribute", "reads an attribute (Python) or a key named with the dot (LangChain)"],
  ["[", "index", "indexes a value (Python) or reads a key named with the brackets (LangChain)"],
  ["!", "conversion", "converts the value (!r, !s, !a), which Lectern's templates do not do"],
  [":", "format-spec", "formats the value (padding, precision…), which Lectern's templates do not do"],
];

function checkField(field: string, at: number): void {
  const where = `{${field.length > 40 ? `${field.slice(0, 40)}…` : field}} (at character ${at})`;
  if (field === "" || /^\d+$/.test(field))
    refuse("positional", `${where} takes an argument by position; Lectern's variables have names`);
  const first = fieldConstructs
    .map(([ch, construct, why]) => ({ i: field.indexOf(ch), construct, why }))
    .filter((c) => c.i >= 0)
    .sort((a, b) => a.i - b.i)[0];
  if (first) refuse(first.construct, `${where} ${first.why}`);
  if (!variableName.test(field))
    refuse(
      "name",
      `${where} is not a variable name Lectern can declare (a letter or '_', then letters, digits or '_', at most 64)`,
    );
}

/** An f-string template as the tree: text and values only. */
export function fstringIr(text: string, budget: TagBudget): IrNode[] {
  const out: IrNode[] = [];
  let buf = "";
  const brace = /[{}]/g;
  let i = 0;
  while (i < text.length) {
    brace.lastIndex = i;
    const m = brace.exec(text);
    if (!m) {
      buf += text.slice(i);
      break;
    }
    buf += text.slice(i, m.index);
    i = m.index;
    if (text[i + 1] === text[i]) {
      buf += text[i];
      i += 2;
      continue;
    }
    if (text[i] === "}")
      refuse("unbalanced-brace", `a single "}" at character ${i} (write "}}" for a brace): Python refuses it`);
    const end = text.indexOf("}", i + 1);
    if (end < 0) refuse("unbalanced-brace", `the "{" at character ${i} is never closed (write "{{" for a brace)`);
    spendTag(budget);
    const field = text.slice(i + 1, end);
    checkField(field, i);
    if (buf) out.push({ t: "text", s: buf });
    buf = "";
    out.push({ t: "value", path: [field] });
    i = end + 1;
  }
  if (buf) out.push({ t: "text", s: buf });
  return out;
}

/**
 * The tree as an f-string: text with its braces doubled, `{name}` for a value. Comments render nothing and
 * f-strings have none: they are left out. What else a tree holds (sections, paths, partials) is refused.
 */
export function writeFString(nodes: IrNode[]): string {
  let out = "";
  for (const n of nodes) {
    if (n.t === "text") out += n.s.replace(/[{}]/g, (b) => b + b);
    else if (n.t === "value") {
      const name = n.path.join(".");
      if (n.path.length !== 1 || !variableName.test(name))
        refuse(
          n.path.length ? "attribute" : "current-context",
          `{{${name || "."}}} reads ${n.path.length > 1 ? "into a value" : "the current item"}: an f-string prints top-level variables only`,
        );
      out += `{${name}}`;
    } else if (n.t === "comment") continue;
    else
      refuse(
        n.t === "partial" ? "partial" : "section",
        n.t === "partial"
          ? `{{> ${n.name}}}: expand partials before writing an f-string`
          : `{{${n.t === "unless" ? "^" : "#"}${n.path.join(".")}}} is a section: an f-string has no conditions or loops`,
      );
  }
  return out;
}
