// The template model: Mustache with HTML escaping off, default delimiters only, partials that name
// other prompts. This file is the entry point; parsing, partial graphs and variable checks live in
// the modules re-exported below.
import { AppError, isAppError } from "../../errors";
import type { ChatContent, Content, Message, TextContent, Variable } from "../content";
import type { MessagePart, RenderedPart } from "../content-parts";
import { isPlaceholder, templateTexts } from "../content-model";
import { partialRefProblem, parsePartialRef } from "./partial-refs";
import { checkPartialMap, contentNode, defaultExpansionLimits, type ExpansionLimits } from "./partials";
import { analyzeTemplate, newRenderBudget, renderText } from "./template-syntax";
import {
  checkVariables,
  coerceVariables,
  imageVariableProblems,
  placeholderValues,
  type SchemaCheck,
} from "./variables";

export { analyzeTemplate, parseTemplate, templateTags, type TemplateAnalysis } from "./template-syntax";
export {
  collectPartials,
  includedPartials,
  defaultMaxPartialDepth,
  partialText,
  resolvePartialGraph,
  type PartialGraph,
} from "./partials";
export { maxRenderedChars, maxRenderSteps } from "./template-syntax";
export {
  checkVariables,
  coerceVariables,
  placeholderValues,
  type CoercedVariables,
  type InvalidVariable,
  type VariableCheck,
} from "./variables";

/**
 * Checks content before it is saved: every piece parses, partial names are valid prompt names, and
 * every variable used is declared (see checkVariables for the rule). Declared-but-unused variables
 * are only warnings, since a variable may be kept for an upcoming edit.
 */
export function validateContent(
  content: Content,
  partialDeclared: Record<string, Variable[]> = {},
): { warnings: string[] } {
  for (const piece of templateTexts(content)) {
    for (const partial of analyzeTemplate(piece.text, piece.field).partials) {
      if (!parsePartialRef(partial)) {
        throw new AppError("invalid_input", partialRefProblem(partial), {
          field: piece.field,
          partial,
        });
      }
    }
  }
  const imageProblems = imageVariableProblems(content, partialDeclared);
  if (imageProblems.length > 0)
    throw new AppError("invalid_input", imageProblems.join("; "), { field: "template", issues: imageProblems });
  const { undeclared, unused } = checkVariables(content, partialDeclared);
  if (undeclared.length > 0) {
    throw new AppError("unprocessable", `Template uses undeclared variables: ${undeclared.join(", ")}`, {
      field: "variables",
      undeclared,
      unused,
    });
  }
  return { warnings: unused.map((name) => `Variable ${name} is declared but never used`) };
}

/** A skill asked to render: its files are served as written; a prompt that includes it renders. */
export const skillNotRendered = () =>
  new AppError(
    "unprocessable",
    "A skill is not rendered: its files are served as written. Include its SKILL.md in a prompt with {{> <skill name>}} to render it.",
    { type: "skill" },
  );

const expectedText = (expected: string) =>
  expected === "messages" ? "a list of messages" : expected === "image" ? "an image" : expected;

export interface RenderOptions {
  /** Every partial reachable from the content, name → text, resolved in advance (resolvePartialGraph). */
  partials?: Record<string, string>;
  /** Variables declared by those partials, by partial name; their values are accepted and checked too. */
  declared?: Record<string, Variable[]>;
  limits?: ExpansionLimits;
  /** Checks values against variables' schemas (the server passes variable-schema.ts's; without it, types only). */
  checkSchema?: SchemaCheck;
  /** The partial map was checked for this content, partials and limits already (a cached entry's options). */
  partialMapChecked?: boolean;
}

/** A rendered chat message: text, or parts whose images are URLs (an image variable's value put in). */
export type RenderedMessage = { role: Message["role"]; content: string | RenderedPart[] };

/**
 * Renders a message's parts: text parts through the template, image variables replaced by their values.
 * An optional image variable without a value drops its part (an attachment the caller may leave out).
 */
function renderParts(
  parts: MessagePart[],
  values: Record<string, unknown>,
  render: (text: string, index: number) => string,
): RenderedPart[] {
  return parts.flatMap((p, j): RenderedPart[] => {
    if (p.type === "text") return [{ type: "text", text: render(p.text, j) }];
    if (!("variable" in p)) return [{ type: "image", url: p.url }];
    const value = values[p.variable];
    return typeof value === "string" ? [{ type: "image", url: value }] : [];
  });
}

export interface RenderResult<T> {
  rendered: T;
  /** Supplied values no variable declares; they are ignored. */
  warnings: string[];
}

// The content's own declaration wins over a partial's; among partials, the first one wins.
function effectiveVariables(content: Content, declared: Record<string, Variable[]>): Variable[] {
  const byName = new Map<string, Variable>();
  for (const v of [...content.variables, ...Object.values(declared).flat()]) {
    if (!byName.has(v.name)) byName.set(v.name, v);
  }
  return [...byName.values()];
}

/**
 * Renders content with the caller's values. Throws missing_variables (details.missing),
 * invalid_variables (details.invalid: {name, expected, got, path?, problem?}[]), or unprocessable for a partial
 * that is missing from opts.partials or that forms a cycle.
 */
export function renderContent(
  content: TextContent,
  values: Record<string, unknown>,
  opts?: RenderOptions,
): RenderResult<string>;
export function renderContent(
  content: ChatContent,
  values: Record<string, unknown>,
  opts?: RenderOptions,
): RenderResult<RenderedMessage[]>;
export function renderContent(
  content: Content,
  values: Record<string, unknown>,
  opts?: RenderOptions,
): RenderResult<string | RenderedMessage[]>;
export function renderContent(
  content: Content,
  values: Record<string, unknown>,
  opts: RenderOptions = {},
): RenderResult<string | RenderedMessage[]> {
  if (content.type === "skill") throw skillNotRendered();
  const partials = opts.partials ?? {};
  // Mustache renders a missing partial as "" and recurses forever on a cycle; fail loudly instead.
  if (!opts.partialMapChecked) checkPartialMap(contentNode(content), partials, opts.limits ?? defaultExpansionLimits);

  const coerced = coerceVariables(effectiveVariables(content, opts.declared ?? {}), values, opts.checkSchema);
  const slots = placeholderValues(content, values);
  const missing = [...coerced.missing, ...slots.missing];
  if (missing.length > 0) {
    const hint = slots.missing.length
      ? ` (${slots.missing.join(", ")}: a placeholder, give a list of messages, [] for none)`
      : "";
    throw new AppError("missing_variables", `Missing required variables: ${missing.join(", ")}${hint}`, { missing });
  }
  const invalid = [...coerced.invalid, ...slots.invalid];
  if (invalid.length > 0) {
    const list = invalid
      .map((i) => (i.path ? `${i.path} ${i.problem}` : `${i.name} must be ${expectedText(i.expected)}, got ${i.got}`))
      .join("; ");
    throw new AppError("invalid_variables", `Invalid variables: ${list}`, { invalid });
  }

  const lookup = (name: string) => (Object.hasOwn(partials, name) ? partials[name] : undefined);
  const budget = newRenderBudget(); // one bound for all the pieces of this content
  const render = (text: string, field: string) => {
    try {
      return renderText(text, coerced.values, lookup, budget);
    } catch (e) {
      if (isAppError(e)) throw e;
      throw new AppError("unprocessable", `Template does not render: ${e instanceof Error ? e.message : String(e)}`, {
        field,
      });
    }
  };

  const warnings = coerced.unknown
    .filter((name) => !(name in slots.messages))
    .map((name) => `Variable ${name} is not declared and was ignored`);
  if (content.type === "text") return { rendered: render(content.template, "template"), warnings };
  const rendered: RenderedMessage[] = [];
  content.template.forEach((m, i) => {
    const field = `template.messages[${i}]`;
    if (isPlaceholder(m)) rendered.push(...slots.messages[m.name]!);
    else if (typeof m.content === "string") rendered.push({ role: m.role, content: render(m.content, field) });
    else
      rendered.push({
        role: m.role,
        content: renderParts(m.content, coerced.values, (t, j) => render(t, `${field}.content[${j}]`)),
      });
  });
  return { rendered, warnings };
}
