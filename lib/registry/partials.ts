// Partials are other prompts pulled in with {{> name}}. The database lookup is the caller's; this
// module only walks the graph so that cycles and runaway nesting fail before Mustache recurses forever.
import { AppError } from "../errors";
import type { Content, Variable } from "./content";
import { templateTexts } from "./content-model";
import { analyzeTemplate } from "./template-syntax";

export const defaultMaxPartialDepth = 8;

/**
 * The text a prompt contributes when used as a partial. A chat prompt has no single text, so it
 * contributes its message contents joined by a blank line ("\n\n"); roles are dropped.
 */
export function partialText(content: Content): string {
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
 * Depth-first walk from a root, failing on a cycle or when a chain is longer than maxDepth
 * partials (the root is depth 0, its own partials depth 1). childrenOf may throw for a missing node.
 * The longest chain below each finished node is remembered so that shared sub-graphs (diamonds)
 * are expanded once, keeping the walk linear however many ways a partial is reached.
 */
export function walkPartials(
  root: string,
  childrenOf: (name: string) => string[],
  maxDepth: number = defaultMaxPartialDepth,
): void {
  const longest = new Map<string, string[]>();

  const tooDeep = (chain: string[]) =>
    new AppError("unprocessable", `Partials nest deeper than ${maxDepth} levels: ${chain.join(" → ")}`, {
      chain,
      maxDepth,
    });

  const visit = (name: string, path: string[]): string[] => {
    const known = longest.get(name);
    if (known) {
      if (path.length + known.length - 1 > maxDepth) throw tooDeep([...path, ...known]);
      return known;
    }
    const seenAt = path.indexOf(name);
    if (seenAt >= 0) {
      const cycle = [...path.slice(seenAt), name];
      throw new AppError("unprocessable", `Partial cycle: ${cycle.join(" → ")}`, { cycle });
    }
    if (path.length > maxDepth) throw tooDeep([...path, name]);
    let below: string[] = [];
    for (const child of childrenOf(name)) {
      const chain = visit(child, [...path, name]);
      if (chain.length > below.length) below = chain;
    }
    const chain = [name, ...below];
    longest.set(name, chain);
    return chain;
  };

  visit(root, []);
}

export interface PartialGraph {
  /** Every partial reachable from the root (not the root itself), name → template text. */
  partials: Record<string, string>;
  /** The variables each of those partials declares. */
  declared: Record<string, Variable[]>;
}

const missingPartial = (name: string) =>
  new AppError("unprocessable", `Partial ${name} does not exist or is not deployed`, { partial: name });

/**
 * Loads every partial reachable from root through `load` (typically: the version deployed to the
 * target environment, resolved in advance or from a per-request map). Pass the root as
 * { name, content } to check unsaved content (a draft) under the name it will be saved as.
 */
export function resolvePartialGraph(
  root: string | { name: string; content: Content },
  load: (name: string) => Content | undefined,
  maxDepth: number = defaultMaxPartialDepth,
): PartialGraph {
  const rootName = typeof root === "string" ? root : root.name;
  const rootContent = typeof root === "string" ? load(root) : root.content;
  if (!rootContent) {
    throw new AppError("not_found", `Prompt ${rootName} does not exist or is not deployed`, { prompt: rootName });
  }
  const partials: Record<string, string> = {};
  const declared: Record<string, Variable[]> = {};

  walkPartials(
    rootName,
    (name) => {
      if (name === rootName) return collectPartials(rootContent);
      const content = load(name);
      if (!content) throw missingPartial(name);
      const text = partialText(content);
      partials[name] = text;
      declared[name] = content.variables;
      return analyzeTemplate(text, `partials.${name}`).partials;
    },
    maxDepth,
  );
  return { partials, declared };
}

/** Checks a caller-supplied partial map before rendering: every reference present, no cycles. */
export function checkPartialMap(
  rootPartials: string[],
  partials: Record<string, string>,
  maxDepth: number = defaultMaxPartialDepth,
): void {
  // A name no prompt can have, so it can't collide with a partial.
  const root = "(this prompt)";
  walkPartials(
    root,
    (name) => {
      if (name === root) return rootPartials;
      const text = Object.hasOwn(partials, name) ? partials[name] : undefined;
      if (text === undefined) throw missingPartial(name);
      return analyzeTemplate(text, `partials.${name}`).partials;
    },
    maxDepth,
  );
}
