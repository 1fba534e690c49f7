// Partials are other prompts pulled in with {{> name}}. The database lookup is the caller's; this
// module walks the graph — the one expansion check every path uses (saving, resolving, rendering,
// the Langfuse route, the SDK) — so that cycles, runaway nesting and expansion bombs (a partial
// included many times at each of several levels) fail before Mustache does the work.
import { AppError } from "../../errors";
import type { Content, Variable } from "../content";
import { templateTexts } from "../content-model";
import { refPromptName } from "./partial-refs";
import { skillBody, skillEntryFile } from "../skills/skill-files";
import { analyzeTemplate, templateUses } from "./template-syntax";

export { inlinePartials } from "./partial-refs";

export const defaultMaxPartialDepth = 8;
/** Far beyond any model's context window (≈250k tokens); nine prompts each including the next seven times exceed it. */
export const maxExpandedChars = 1_000_000;

export interface ExpansionLimits {
  maxDepth: number;
  maxExpandedChars: number;
}
export const defaultExpansionLimits: ExpansionLimits = { maxDepth: defaultMaxPartialDepth, maxExpandedChars };

/**
 * The text a prompt contributes when used as a partial. A chat prompt has no single text, so it
 * contributes its message contents joined by a blank line ("\n\n"); roles are dropped. A skill contributes
 * its SKILL.md body (the Markdown after the frontmatter), which is then template text like any partial's.
 */
export function partialText(content: Content): string {
  if (content.type === "skill") return skillBody(content.files[skillEntryFile] ?? "");
  return templateTexts(content)
    .map((p) => p.text)
    .join("\n\n");
}

/** The partial names a content uses, across all its pieces, in order of first use. */
export function collectPartials(content: Content): string[] {
  const names = templateTexts(content).flatMap((p) => analyzeTemplate(p.text, p.field).partials);
  return [...new Set(names)];
}

/**
 * The partial names a content includes where it is itself included (its partialText): collectPartials, and
 * for a skill the references in its SKILL.md body (none when the body does not parse: including it fails then,
 * naming the parse error).
 */
export function includedPartials(content: Content): string[] {
  if (content.type !== "skill") return collectPartials(content);
  try {
    return [...new Set(templateUses(partialText(content), `partials.${skillEntryFile}`).partials)];
  } catch {
    return [];
  }
}

/** One node of the graph: its own size in characters and its partial references, one per occurrence. */
export type PartialNode = { size: number; includes: string[] };

/**
 * Depth-first walk from a root, failing on a cycle, on a chain longer than maxDepth partials (the
 * root is depth 0, its own partials depth 1), or when the fully expanded text would exceed
 * maxExpandedChars. nodeOf may throw for a missing node, or return undefined to count it as empty.
 * Each node is visited once (shared sub-graphs, diamonds, are not re-walked) and its expanded size
 * is computed from its children's, so the walk is linear in the graph however large the expansion.
 * Returns the expanded size of the root.
 */
export function walkPartials(
  root: string,
  nodeOf: (name: string) => PartialNode | undefined,
  limits: ExpansionLimits = defaultExpansionLimits,
): number {
  const longest = new Map<string, string[]>();
  const expanded = new Map<string, number>();

  const tooDeep = (chain: string[]) =>
    new AppError("unprocessable", `Partials nest deeper than ${limits.maxDepth} levels: ${chain.join(" → ")}`, {
      chain,
      maxDepth: limits.maxDepth,
    });

  const visit = (name: string, path: string[]): string[] => {
    const known = longest.get(name);
    if (known) {
      if (path.length + known.length - 1 > limits.maxDepth) throw tooDeep([...path, ...known]);
      return known;
    }
    // A reference to the root prompt under a pin (`{{> self|version=1}}` in self) counts as a cycle
    // too, as in Langfuse: a prompt never includes itself, in any version.
    let seenAt = path.indexOf(name);
    if (seenAt < 0 && path.length > 0 && name !== path[0] && refPromptName(name) === refPromptName(path[0]!))
      seenAt = 0;
    if (seenAt >= 0) {
      const cycle = [...path.slice(seenAt), name];
      throw new AppError("unprocessable", `Partial cycle: ${cycle.join(" → ")}`, { cycle });
    }
    if (path.length > limits.maxDepth) throw tooDeep([...path, name]);
    const node = nodeOf(name);
    let below: string[] = [];
    let size = node?.size ?? 0;
    for (const child of node?.includes ?? []) {
      const chain = visit(child, [...path, name]);
      if (chain.length > below.length) below = chain;
      size += expanded.get(child) ?? 0;
      if (size > limits.maxExpandedChars)
        throw new AppError(
          "unprocessable",
          `Partials expand ${name === root ? "this prompt" : name} to more than ${limits.maxExpandedChars.toLocaleString("en-US")} characters (${name} includes ${child} ${node!.includes.filter((c) => c === child).length} times). Include large or repeated text fewer times.`,
          { partial: name, include: child, maxExpandedChars: limits.maxExpandedChars },
        );
    }
    const chain = [name, ...below];
    longest.set(name, chain);
    expanded.set(name, size);
    return chain;
  };

  visit(root, []);
  return expanded.get(root) ?? 0;
}

/** A text's graph node: its length and every {{> partial}} occurrence. */
export function textNode(text: string, field: string): PartialNode {
  return { size: text.length, includes: templateUses(text, field).partials };
}

export function contentNode(content: Content): PartialNode {
  const pieces = templateTexts(content).map((p) => textNode(p.text, p.field));
  return { size: pieces.reduce((n, p) => n + p.size, 0), includes: pieces.flatMap((p) => p.includes) };
}

export interface PartialGraph {
  /** Every partial reachable from the root (not the root itself), name → template text. */
  partials: Record<string, string>;
  /** The variables each of those partials declares. */
  declared: Record<string, Variable[]>;
  /** Partials referenced but not found (only when missing ones are collected rather than thrown). */
  missing: string[];
  /** Characters of the root once every partial is expanded. */
  expandedChars: number;
}

const missingPartial = (name: string) =>
  new AppError("unprocessable", `Partial ${name} does not exist or is not deployed`, { partial: name });

/**
 * Loads every partial reachable from root through `load` (typically: the version deployed to the
 * target environment, resolved in advance or from a per-request map) and checks the graph. Pass the
 * root as { name, content } to check unsaved content (the editor's) under the name it will be saved as.
 * A root that includes itself is a cycle, like any other. Missing partials throw, unless
 * `collectMissing` (the runtime serves a prompt whose partial is not live; rendering it fails).
 */
export function resolvePartialGraph(
  root: string | { name: string; content: Content },
  load: (name: string) => Content | undefined,
  opts: { limits?: ExpansionLimits; collectMissing?: boolean } = {},
): PartialGraph {
  const rootName = typeof root === "string" ? root : root.name;
  const rootContent = typeof root === "string" ? load(root) : root.content;
  if (!rootContent) {
    throw new AppError("not_found", `Prompt ${rootName} does not exist or is not deployed`, { prompt: rootName });
  }
  const partials: Record<string, string> = {};
  const declared: Record<string, Variable[]> = {};
  const missing: string[] = [];
  const expandedChars = walkPartials(
    rootName,
    (name) => {
      if (name === rootName && !(name in partials)) {
        // The root as a document; if it is also reached as a partial, the walk reports the cycle first.
        return contentNode(rootContent);
      }
      const content = load(name);
      if (!content) {
        if (!opts.collectMissing) throw missingPartial(name);
        if (!missing.includes(name)) missing.push(name);
        return undefined;
      }
      const text = partialText(content);
      partials[name] = text;
      declared[name] = content.variables;
      return textNode(text, `partials.${name}`);
    },
    opts.limits,
  );
  return { partials, declared, missing, expandedChars };
}

/** Checks a caller-supplied partial map before rendering: every reference present, no cycles, bounded size. */
export function checkPartialMap(
  rootNode: PartialNode,
  partials: Record<string, string>,
  limits: ExpansionLimits = defaultExpansionLimits,
): void {
  // A name no prompt can have, so it can't collide with a partial.
  const root = "(this prompt)";
  walkPartials(
    root,
    (name) => {
      if (name === root) return rootNode;
      const text = Object.hasOwn(partials, name) ? partials[name] : undefined;
      if (text === undefined) throw missingPartial(name);
      return textNode(text, `partials.${name}`);
    },
    limits,
  );
}
