// The Jinja2 subset's tree (foreign-jinja2.ts) as the shared tree, choosing Mustache's meaning from what each
// top-level name holds: a condition on a text or a flag is a section (it renders once: Mustache's section over
// a text, a number or true renders once and keeps the names outside it readable), on a list a section over
// its length (Mustache's over the list would repeat), on an object refused (Mustache's would open it). A loop
// is a section over the list whose body reads the item only: a name from outside, or an item's field named
// like a variable, would be looked up in the item first by Mustache and is refused.
import type { VariableType } from "../content-model";
import { checkDepth } from "./foreign-mustache";
import { variableName } from "./foreign-fstring";
import { refuse, type IrNode } from "./ir";
import type { JNode } from "./foreign-jinja2";

/** What a top-level name holds, as its uses in the template say. */
export type JKind = "string" | "boolean" | "list" | "object";

type Uses = Map<string, Set<"print" | "attr" | "iterate" | "test">>;

function collect(nodes: JNode[], uses: Uses, item?: string): void {
  const note = (path: string[], how: "print" | "attr" | "iterate" | "test") => {
    if (item !== undefined && path[0] === item) return;
    const set = uses.get(path[0]!) ?? new Set();
    set.add(path.length > 1 ? "attr" : how);
    uses.set(path[0]!, set);
  };
  for (const n of nodes) {
    if (n.k === "print") note(n.path, "print");
    else if (n.k === "if")
      for (const b of n.branches) {
        note(b.path, "test");
        collect(b.body, uses, item);
      }
    else if (n.k === "for") {
      note(n.path, "iterate");
      collect(n.body, uses, n.item);
    }
    if (n.k === "if" || n.k === "for") collect(n.otherwise, uses, item);
  }
}

/** Each top-level name's kind, from its uses across all of a prompt's templates. */
export function jinjaKinds(trees: JNode[][]): Map<string, JKind> {
  const uses: Uses = new Map();
  for (const t of trees) collect(t, uses);
  const kinds = new Map<string, JKind>();
  for (const [name, set] of uses)
    kinds.set(name, set.has("attr") ? "object" : set.has("iterate") ? "list" : set.has("print") ? "string" : "boolean");
  return kinds;
}

interface Ctx {
  kinds: ReadonlyMap<string, JKind>;
  /** The loop's item name, inside a loop's body. */
  item?: string;
  /** Inside a section over a text: Mustache reads `length` from the text. */
  inText?: boolean;
  depth: number;
}

const at = (n: { at: number }) => `at character ${n.at}`;

function topName(path: string[], where: string): void {
  if (!variableName.test(path[0]!))
    refuse("name", `${where}: ${path[0]} is not a variable name Lectern can declare (at most 64 characters)`);
}

function printNode(n: JNode & { k: "print" }, c: Ctx): IrNode {
  const where = `{{ ${n.path.join(".")} }} (${at(n)})`;
  if (c.item !== undefined) {
    if (n.path[0] !== c.item)
      refuse(
        "ambiguous-name",
        `${where} reads ${n.path[0]} inside a loop over items: Lectern's Mustache would look it up in each item first. Use it outside the loop.`,
      );
    const field = n.path[1];
    if (field !== undefined && (c.kinds.has(field) || (c.inText && field === "length")))
      refuse(
        "ambiguous-name",
        `${where}: when an item has no ${field}, Lectern's Mustache reads the variable ${field} instead of nothing`,
      );
    return { t: "value", path: n.path.slice(1) };
  }
  topName(n.path, where);
  if (c.inText && n.path[0] === "length")
    refuse("name", `${where} inside {% if %} on a text: Lectern's Mustache would print the text's length`);
  return { t: "value", path: n.path };
}

function chain(n: JNode & { k: "if" }, i: number, c: Ctx): IrNode[] {
  if (i === n.branches.length) return convert(n.otherwise, c);
  const b = n.branches[i]!;
  const where = `{% if ${b.not ? "not " : ""}${b.path.join(".")} %} (${at(n)})`;
  if (b.path.length > 1)
    refuse(
      "condition",
      `${where} tests an attribute whose kind is unknown: Lectern's sections repeat over a list and open an object`,
    );
  topName(b.path, where);
  const kind = c.kinds.get(b.path[0]!);
  if (kind === "object" || kind === "list")
    refuse(
      "condition",
      kind === "object"
        ? `${where} tests ${b.path[0]}, an object: a Lectern section over an object opens it`
        : `${where} tests ${b.path[0]}, a list: nunjucks reads an empty list as true, Jinja2 as false, so it has no one meaning`,
    );
  const path = b.path;
  const opened = { ...c, depth: c.depth + 1, inText: c.inText || kind === "string" };
  const kept = { ...c, depth: c.depth + 1 };
  checkDepth(c.depth + 1);
  const yes = convert(b.body, b.not ? kept : opened);
  const no = chain(n, i + 1, b.not ? opened : kept);
  const first: IrNode = { t: b.not ? "unless" : "if", path, body: yes };
  return no.length ? [first, { t: b.not ? "if" : "unless", path, body: no }] : [first];
}

/** The subset's tree as the shared tree, under the kinds of its top-level names. */
export function convert(nodes: JNode[], c: Ctx): IrNode[] {
  const out: IrNode[] = [];
  for (const n of nodes) {
    if (n.k === "text") out.push({ t: "text", s: n.s });
    else if (n.k === "comment") out.push({ t: "comment", s: n.s });
    else if (n.k === "print") out.push(printNode(n, c));
    else if (n.k === "if") {
      if (c.item !== undefined)
        refuse("condition", `{% if %} inside a loop (${at(n)}): Lectern's sections there would read the item first`);
      out.push(...chain(n, 0, c));
    } else {
      const where = `{% for ${n.item} in ${n.path.join(".")} %} (${at(n)})`;
      if (c.item !== undefined) refuse("nested-loop", `${where} is inside another loop`);
      topName(n.path, where);
      checkDepth(c.depth + 1);
      out.push({ t: "section", path: n.path, body: convert(n.body, { ...c, item: n.item, depth: c.depth + 1 }) });
      const otherwise = convert(n.otherwise, { ...c, depth: c.depth + 1 });
      if (otherwise.length) out.push({ t: "unless", path: n.path, body: otherwise });
    }
  }
  return out;
}

/** The Lectern variable type a kind is declared as. */
export const kindType = (k: JKind): VariableType => (k === "list" || k === "object" ? "json" : k);
