// Mustache both ways for the other systems' templates (foreign-templates.ts): a Mustache text as the shared
// tree, read by mustache.js the way Lectern's renderer and LangChain's mustache format read it, and the tree
// written as Lectern's Mustache. Sections are kept as `section` here: which of Mustache's meanings one has
// (a condition, a list repeated, an object opened) depends on the values, so the callers decide it from the
// variables' kinds and compare trees with `if` and `section` as one (sameShape).
import Mustache from "mustache";
import { isAppError } from "../../errors";
import { parseTemplate, templateTags } from "../templates/template-syntax";
import { FormatRefusal, normalizeIr, refuse, type IrNode } from "./ir";

type Token = [string, string, number, number, ...unknown[]];

/** How much one conversion reads at most: the tree's nesting and its number of tags (hostile input). */
export const foreignLimits = { depth: 32, tags: 20_000 };

/** Counts tags against the budget; one per conversion. */
export type TagBudget = { tags: number };

export function spendTag(budget: TagBudget): void {
  if (++budget.tags > foreignLimits.tags)
    refuse(
      "max-tags",
      `the template has more than ${foreignLimits.tags.toLocaleString("en-US")} tags, the most one conversion reads`,
    );
}

export function checkDepth(depth: number): void {
  if (depth > foreignLimits.depth)
    refuse(
      "max-depth",
      `the template nests sections or blocks more than ${foreignLimits.depth} deep, the most one conversion reads`,
    );
}

const isSegment = (s: string) => s !== "" && !/[\s{}]/.test(s);

/** `a.b` as a path; `.` is the current item ([]). */
export function mustachePath(name: string, where: string): string[] {
  if (name === ".") return [];
  const path = name.split(".");
  if (!path.every(isSegment)) refuse("name", `${where}: ${JSON.stringify(name)} is not a name`);
  return path;
}

function walk(tokens: Token[], depth: number, budget: TagBudget): IrNode[] {
  checkDepth(depth);
  const out: IrNode[] = [];
  for (const [type, value, , , children] of tokens) {
    if (type === "text") {
      out.push({ t: "text", s: value });
      continue;
    }
    spendTag(budget);
    const where = `{{${type === "name" ? "" : type}${value}}}`;
    if (type === "name" || type === "&") out.push({ t: "value", path: mustachePath(value, where) });
    else if (type === "#" || type === "^") {
      if (value === ".") refuse("section", `${where}: a section over the current item`);
      const body = walk((children as Token[]) ?? [], depth + 1, budget);
      out.push({ t: type === "#" ? "section" : "unless", path: mustachePath(value, where), body });
    } else if (type === "!") out.push({ t: "comment", s: value });
    else if (type === ">")
      refuse("partial", `${where} includes a partial: other systems' partials are not Lectern prompts`);
    else if (type === "=")
      refuse("set-delimiters", `${where} changes the delimiters, which Lectern's templates do not do`);
    else refuse("tag", `${where} is not a Mustache tag Lectern reads`);
  }
  return out;
}

// A writer of its own without a template cache: mustache.js's shared one keeps every text it parsed.
const writer = new Mustache.Writer();
(writer as unknown as { templateCache: undefined }).templateCache = undefined;

/** Standard Mustache (as LangChain's mustache format and mustache.js read it) as the tree. */
export function mustacheIr(text: string, budget: TagBudget): IrNode[] {
  let tokens: Token[];
  try {
    tokens = writer.parse(text, templateTags) as unknown as Token[];
  } catch (e) {
    return refuse("syntax", `the template does not parse as Mustache: ${e instanceof Error ? e.message : String(e)}`);
  }
  return walk(tokens, 0, budget);
}

/** A Lectern template as the tree, read by Lectern's own parser (a syntax error is the 400 it answers). */
export function lecternIr(text: string, field: string, budget: TagBudget): IrNode[] {
  return walk(parseTemplate(text, field) as unknown as Token[], 0, budget);
}

/** The tree as it renders, with `if` read as the section Mustache writes it as (the values decide which). */
function shape(nodes: IrNode[]): unknown[] {
  return normalizeIr(nodes).map((n) =>
    n.t === "if" || n.t === "section" || n.t === "unless"
      ? { t: n.t === "unless" ? "unless" : "section", path: n.path, body: shape(n.body) }
      : n,
  );
}

export const sameShape = (a: IrNode[], b: IrNode[]) => JSON.stringify(shape(a)) === JSON.stringify(shape(b));

type Piece = { s: string; tag?: "value" | "block" };

const pathText = (p: string[]) => (p.length ? p.join(".") : ".");

function flatten(nodes: IrNode[], out: Piece[]): Piece[] {
  for (const n of nodes) {
    if (n.t === "text") {
      if (n.s.includes("{{"))
        refuse(
          "literal-braces",
          `the text ${JSON.stringify(n.s.slice(n.s.indexOf("{{"), n.s.indexOf("{{") + 20))} holds "{{", which Lectern's templates always read as a tag`,
        );
      out.push({ s: n.s });
    } else if (n.t === "value") out.push({ s: `{{${pathText(n.path)}}}`, tag: "value" });
    else if (n.t === "if" || n.t === "section" || n.t === "unless") {
      out.push({ s: `{{${n.t === "unless" ? "^" : "#"}${pathText(n.path)}}}`, tag: "block" });
      flatten(n.body, out);
      out.push({ s: `{{/${pathText(n.path)}}}`, tag: "block" });
    } else if (n.t === "comment") {
      if (n.s.trim()) out.push({ s: `{{! ${n.s.trim().replace(/}}/g, "} }")}}}`, tag: "block" });
    } else refuse("partial", "a partial cannot be written here");
  }
  return out;
}

/**
 * Where Mustache would drop whitespace the tree keeps. A line holding only section tags, comments and
 * whitespace is "standalone": mustache.js deletes its whitespace and its newline. The other systems keep
 * them, so a newline is written after the line's last tag: that line is dropped as Mustache drops it, and
 * what followed the tag stands on a line of its own, kept. Whitespace before the first tag of such a line
 * cannot be kept that way and is refused.
 */
function keepStandaloneLines(pieces: Piece[]): Set<number> {
  const after = new Set<number>();
  let tags: number[] = [];
  let [value, nonSpace, pending, leading] = [false, false, false, false];
  const endLine = (eof: boolean) => {
    if (tags.length && !value && !nonSpace) {
      if (leading)
        refuse(
          "whitespace",
          `a line holds only block tags and the whitespace before them (${pieces[tags[0]!]!.s}): Lectern's Mustache drops that whitespace. Remove it (or strip it with "-")`,
        );
      if (!eof || pending) after.add(tags.at(-1)!);
    }
    tags = [];
    [value, nonSpace, pending, leading] = [false, false, false, false];
  };
  pieces.forEach((p, i) => {
    if (p.tag === "block") {
      if (pending) leading = true;
      pending = false;
      tags.push(i);
    } else if (p.tag === "value") value = true;
    else
      p.s.split("\n").forEach((seg, k) => {
        if (k > 0) endLine(false);
        if (/\S/.test(seg)) nonSpace = true;
        else if (seg) pending = true;
      });
  });
  endLine(true);
  return after;
}

/** The tree as Lectern's Mustache, checked by Lectern's own parser: the same tree back, or a refusal. */
export function writeLectern(nodes: IrNode[], field: string): string {
  const pieces = flatten(normalizeIrKeepComments(nodes), []);
  pieces.forEach((p, i) => {
    if (p.tag && i > 0 && !pieces[i - 1]!.tag && pieces[i - 1]!.s.endsWith("{"))
      refuse("literal-braces", `a "{" right before ${p.s} would make it a different tag in Lectern's Mustache`);
  });
  const after = keepStandaloneLines(pieces);
  const text = pieces.map((p, i) => (after.has(i) ? `${p.s}\n` : p.s)).join("");
  let back: IrNode[];
  try {
    back = lecternIr(text, field, { tags: 0 });
  } catch (e) {
    if (isAppError(e) || e instanceof FormatRefusal)
      return refuse("syntax", `the converted template does not read back: ${e.message}`);
    throw e;
  }
  if (!sameShape(back, nodes))
    refuse("whitespace", "the whitespace around its tags cannot be written so that Lectern renders it the same");
  return text;
}

/** Merges neighbouring text (so a line is seen whole) but keeps comments, which the writer carries. */
function normalizeIrKeepComments(nodes: IrNode[]): IrNode[] {
  const out: IrNode[] = [];
  for (const n of nodes) {
    const last = out[out.length - 1];
    if (n.t === "text" && last?.t === "text") out[out.length - 1] = { t: "text", s: last.s + n.s };
    else if (n.t === "if" || n.t === "unless" || n.t === "section")
      out.push({ ...n, body: normalizeIrKeepComments(n.body) });
    else if (n.t !== "text" || n.s) out.push(n);
  }
  return out;
}
