// Jinja2 (as nunjucks and Jinja2 render it, default environment) as the shared tree: a safe subset with one
// meaning in Lectern's Mustache. Kept: `{{ name }}`, `{{ name.attr }}`, a quoted string, comments, whitespace
// control, `{% if [not] name %}…{% elif %}…{% else %}…{% endif %}` on a top-level name, and one level of
// `{% for item in list %}…{% else %}…{% endfor %}` whose body reads the item only. Everything else (filters,
// calls, operators, set, macro, include, extends, raw, loop.*, nested loops…) is refused, named: Mustache has
// no such thing, or would read it differently (a section over a list repeats, over an object opens it).
import { refuse } from "./ir";
import { checkDepth, type TagBudget } from "./foreign-mustache";
import { lexJinja2, type JToken } from "./foreign-jinja2-lex";

/** The subset's tree, before Mustache's meanings are chosen. */
export type JNode =
  | { k: "text"; s: string }
  | { k: "comment"; s: string }
  | { k: "print"; path: string[]; at: number }
  | { k: "if"; branches: { not: boolean; path: string[]; body: JNode[] }[]; otherwise: JNode[]; at: number }
  | { k: "for"; item: string; path: string[]; body: JNode[]; otherwise: JNode[]; at: number };

const reserved = new Set(
  "true false none True False None not and or in is if else elif loop self super caller varargs kwargs range lipsum dict cycler joiner namespace".split(
    " ",
  ),
);
const pathRe = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const literalRe = /^"([^"\\]*)"$|^'([^'\\]*)'$/;

/** What an expression other than a path or a plain string is: the construct a refusal names. */
function exprConstruct(expr: string): [string, string] {
  const filter = /\|\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(expr);
  if (filter) return ["filter", `applies the filter ${filter[1]}`];
  if (/["']/.test(expr)) return ["literal", "holds a string Lectern cannot carry (escapes, or more than one string)"];
  if (expr.includes("(")) return ["call", "calls a function"];
  if (expr.includes("[")) return ["index", "indexes a value"];
  if (/^loop\b/.test(expr)) return ["loop-variable", "reads the loop variable"];
  return ["expression", "is an expression (operators, literals, tests), not a name"];
}

/** A name's path, or a refusal naming what the expression is instead. */
export function jinjaPath(expr: string, where: string): string[] {
  if (!pathRe.test(expr)) {
    const [construct, why] = exprConstruct(expr);
    return refuse(construct, `${where} ${why}`);
  }
  const path = expr.split(".");
  if (reserved.has(path[0]!))
    refuse(path[0] === "loop" ? "loop-variable" : "expression", `${where} reads ${path[0]}, which is not a variable`);
  return path;
}

type Frame = { node: JNode & { k: "if" | "for" }; into: JNode[]; end: "endif" | "endfor" };

function condition(words: string[], where: string): { not: boolean; path: string[] } {
  const not = words[1] === "not";
  const rest = words.slice(not ? 2 : 1);
  if (rest.length !== 1) refuse("expression", `${where} tests an expression; only [not] a name is converted`);
  return { not, path: jinjaPath(rest[0]!, where) };
}

function openBlock(t: JToken & { k: "block" }, where: string): Frame {
  if (t.words[0] === "if") {
    const node: JNode = { k: "if", branches: [{ ...condition(t.words, where), body: [] }], otherwise: [], at: t.at };
    return { node, into: node.branches[0]!.body, end: "endif" };
  }
  const [, item, kwIn, list, ...more] = t.words;
  if (kwIn !== "in" || !item || !list || more.length || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(item) || reserved.has(item))
    refuse(
      more[0] === "if" ? "loop-filter" : more[0] === "recursive" ? "recursive-loop" : "loop",
      `${where}: only {% for item in list %} is converted`,
    );
  const node: JNode = { k: "for", item: item!, path: jinjaPath(list!, where), body: [], otherwise: [], at: t.at };
  return { node, into: node.body, end: "endfor" };
}

/** Moves a frame on at elif / else; false when the word does not belong to it. */
function continueBlock(f: Frame, t: JToken & { k: "block" }, where: string): boolean {
  const word = t.words[0];
  if (word === "elif" && f.node.k === "if" && f.into !== f.node.otherwise) {
    const branch = { ...condition(t.words, where), body: [] };
    f.node.branches.push(branch);
    f.into = branch.body;
    return true;
  }
  if (word === "else" && t.words.length === 1 && f.into !== f.node.otherwise) {
    f.into = f.node.otherwise;
    return true;
  }
  return false;
}

/** A Jinja2 template as the subset's tree; a construct outside it is refused, named. */
export function parseJinja2(text: string, budget: TagBudget): JNode[] {
  const root: JNode[] = [];
  const stack: Frame[] = [];
  const into = () => stack.at(-1)?.into ?? root;
  for (const t of lexJinja2(text, budget)) {
    if (t.k === "text" || t.k === "comment") into().push(t);
    else if (t.k === "print") {
      const where = `{{ ${t.expr} }} (at character ${t.at})`;
      const lit = literalRe.exec(t.expr);
      if (lit) into().push({ k: "text", s: lit[1] ?? lit[2] ?? "" });
      else into().push({ k: "print", path: jinjaPath(t.expr, where), at: t.at });
    } else {
      const where = `{% ${t.inner} %} (at character ${t.at})`;
      const word = t.words[0] ?? "";
      const top = stack.at(-1);
      if (word === "if" || word === "for") {
        const frame = openBlock(t, where);
        into().push(frame.node);
        stack.push(frame);
        checkDepth(stack.length);
      } else if (top && continueBlock(top, t, where)) continue;
      else if (top && word === top.end && t.words.length === 1) stack.pop();
      else if (["elif", "else", "endif", "endfor"].includes(word))
        refuse("syntax", `${where} does not close or continue an open block`);
      else
        refuse(
          word || "statement",
          `${where}: {% ${word} %} is not converted (only if/elif/else, for, comments and {{ names }} are)`,
        );
    }
  }
  if (stack.length) refuse("syntax", `{% ${stack.at(-1)!.node.k} %} is never closed with {% ${stack.at(-1)!.end} %}`);
  return root;
}
