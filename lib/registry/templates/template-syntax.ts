// Mustache tokenizing and rendering behind one private Writer, so nothing here reads or mutates
// Mustache's global state (escape function, tags, template cache) that other code might share.
import Mustache from "mustache";
import { AppError } from "../../errors";

/** Only the default delimiters; templates may not switch them with {{=<% %>=}}. */
export const templateTags: [string, string] = ["{{", "}}"];

// A parsed token as produced by mustache.js: [type, value, start, end, children | indentation, …].
type Token = [string, string, number, number, ...unknown[]];

/** Renders any value as text: objects and arrays as JSON, which beats "[object Object]" in a prompt. */
export function stringifyValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

// Mustache keys its cache by the whole template text (up to 200k chars), so bound it by size, not count.
class BoundedTemplateCache {
  private entries = new Map<string, unknown>();
  private chars = 0;
  constructor(private readonly maxChars: number) {}
  get(key: string): unknown {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }
  set(key: string, value: unknown): void {
    if (key.length > this.maxChars) return;
    if (!this.entries.has(key)) this.chars += key.length;
    this.entries.set(key, value);
    for (const oldest of this.entries.keys()) {
      if (this.chars <= this.maxChars) break;
      this.entries.delete(oldest);
      this.chars -= oldest.length;
    }
  }
  clear(): void {
    this.entries.clear();
    this.chars = 0;
  }
}

// Bounds on one render, whatever the template and the values: sections can repeat a partial once
// per item of a caller-supplied list, and nested sections multiply. Output characters are counted
// at the leaves (every character of the result comes from exactly one text or value token) and
// work at each token list entered; past either bound the render stops with a 422.
export const maxRenderedChars = 2_000_000;
export const maxRenderSteps = 1_000_000;
export type RenderBudget = { chars: number; steps: number };
export const newRenderBudget = (): RenderBudget => ({ chars: 0, steps: 0 });
let budget: RenderBudget = newRenderBudget();

function spend(chars: number, steps: number) {
  budget.chars += chars;
  budget.steps += steps;
  if (budget.chars > maxRenderedChars)
    throw new AppError(
      "unprocessable",
      `The rendered prompt would be longer than ${maxRenderedChars.toLocaleString("en-US")} characters; check sections that repeat over long lists.`,
      { maxRenderedChars },
    );
  if (budget.steps > maxRenderSteps)
    throw new AppError(
      "unprocessable",
      `Rendering takes more than ${maxRenderSteps.toLocaleString("en-US")} steps; check nested sections that repeat over long lists.`,
      { maxRenderSteps },
    );
}

const writer = new Mustache.Writer();
(writer as unknown as { templateCache: BoundedTemplateCache }).templateCache = new BoundedTemplateCache(4_000_000);
// {{{x}}} and {{&x}} bypass the escape function; make them stringify exactly like {{x}} does.
writer.unescapedValue = (token, context) => {
  const value: unknown = context.lookup(token[1] ?? "");
  const out = value == null ? "" : stringifyValue(value);
  spend(out.length, 0);
  return out;
};
const baseEscapedValue = writer.escapedValue.bind(writer);
writer.escapedValue = (token, context, config) => {
  const out = baseEscapedValue(token, context, config);
  if (typeof out === "string") spend(out.length, 0);
  return out;
};
const baseRawValue = writer.rawValue.bind(writer);
writer.rawValue = (token) => {
  const out = baseRawValue(token);
  spend(out.length, 0);
  return out;
};

// A partial alone on its line replaces the whole line, newline included (the Mustache spec). Prompt
// texts rarely end with a newline, so "{{> tone}}\nNext line" would glue the partial to the next
// line; for a standalone partial whose text lacks a final newline, we add one.
type WriterInternals = {
  renderTokens(
    tokens: unknown[],
    context: unknown,
    partials: unknown,
    originalTemplate: string,
    config: unknown,
  ): string;
  renderPartial(token: Token, context: unknown, partials: unknown, config: unknown): string | undefined;
};
const internals = writer as unknown as WriterInternals;
const baseRenderTokens = internals.renderTokens.bind(writer);
const templateStack: string[] = [];
internals.renderTokens = (tokens, context, partials, originalTemplate, config) => {
  spend(0, 1);
  templateStack.push(originalTemplate);
  try {
    return baseRenderTokens(tokens, context, partials, originalTemplate, config);
  } finally {
    templateStack.pop();
  }
};
const baseRenderPartial = internals.renderPartial.bind(writer);
internals.renderPartial = (token, context, partials, config) => {
  const source = templateStack[templateStack.length - 1] ?? "";
  const standalone = !(token as unknown[])[6] && /^[ \t]*(\r?\n|$)/.test(source.slice(token[3]));
  if (!standalone || typeof partials !== "function") return baseRenderPartial(token, context, partials, config);
  const lookup = partials as (name: string) => string | undefined;
  let used = false; // only this tag's own lookup gets the newline; nested partials are judged on their own
  const withNewline = (name: string) => {
    const text = lookup(name);
    if (used || name !== token[1]) return text;
    used = true;
    return text != null && !text.endsWith("\n") && /\r?\n/.test(source.slice(token[3])) ? text + "\n" : text;
  };
  return baseRenderPartial(token, context, withNewline, config);
};

/**
 * Renders one template text; escaping is off because prompts are not HTML. Pass one budget to
 * several calls (the messages of one chat prompt) to bound them together.
 */
export function renderText(
  text: string,
  view: object,
  partial: (name: string) => string | undefined,
  within: RenderBudget = newRenderBudget(),
): string {
  // Rendering is synchronous, so one module-level budget cannot be shared by two renders at once.
  const outer = budget;
  budget = within;
  try {
    return writer.render(text, view, partial, { escape: stringifyValue, tags: templateTags });
  } finally {
    budget = outer;
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split("\n");
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

function parseError(text: string, field: string, reason: string, offset?: number): AppError {
  const where = offset === undefined ? {} : lineColumn(text, offset);
  return new AppError("invalid_input", `Template does not parse: ${reason}`, { field, ...where });
}

function rejectDelimiterChanges(tokens: Token[], text: string, field: string): void {
  for (const t of tokens) {
    if (t[0] === "=") throw parseError(text, field, "changing delimiters with {{=…=}} is not supported", t[2]);
    if ((t[0] === "#" || t[0] === "^") && Array.isArray(t[4])) rejectDelimiterChanges(t[4] as Token[], text, field);
  }
}

/** Tokenizes a template, throwing invalid_input with field, line and column on a syntax error. */
export function parseTemplate(text: string, field = "template"): Token[] {
  let tokens: Token[];
  try {
    tokens = writer.parse(text, templateTags) as Token[];
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const at = /\bat (\d+)$/.exec(reason)?.[1];
    throw parseError(text, field, reason, at === undefined ? undefined : Number(at));
  }
  rejectDelimiterChanges(tokens, text, field);
  return tokens;
}

/** One variable reference, with the heads of the {{#…}} sections around it (outermost first). */
export interface VariableUse {
  name: string;
  sections: string[];
}

// `user.name` is a use of `user`; `.` and `.x` refer to the current context, never to a variable.
function head(name: string): string | undefined {
  if (name === "" || name.startsWith(".")) return undefined;
  return name.split(".")[0];
}

interface Walk {
  uses: VariableUse[];
  partials: string[];
  sections: string[];
}

function walk(tokens: Token[], enclosing: string[], out: Walk): void {
  for (const [type, value, , , children] of tokens) {
    const name = head(value);
    if (type === ">") {
      out.partials.push(value);
      continue;
    }
    if (type !== "name" && type !== "&" && type !== "#" && type !== "^") continue;
    if (name !== undefined) out.uses.push({ name, sections: enclosing });
    if (type === "#" || type === "^") {
      if (name !== undefined) out.sections.push(name);
      // Only {{#x}} pushes a new lookup context; {{^x}} renders its body in the surrounding one.
      const inner = type === "#" ? [...enclosing, name ?? "."] : enclosing;
      if (Array.isArray(children)) walk(children as Token[], inner, out);
    }
  }
}

const unique = (xs: string[]) => [...new Set(xs)];

/** Every variable use, partial reference and section name of one template text. */
export function templateUses(text: string, field = "template"): Walk {
  const out: Walk = { uses: [], partials: [], sections: [] };
  walk(parseTemplate(text, field), [], out);
  return out;
}

export interface TemplateAnalysis {
  /**
   * topLevel: names used at least once outside any {{#section}} (including inside {{^inverted}}
   * sections and as top-level section names), so they must come from the caller's values.
   * inSections: names used only inside {{#section}} bodies; mustache looks those up in the
   * section's item first, so they may be properties of a list item rather than variables.
   * Both hold the first segment of dotted names (user.name → user) in order of first use;
   * the implicit iterator `.` is never a name. The two lists are disjoint.
   */
  variables: { topLevel: string[]; inSections: string[] };
  /** Names referenced with {{> name}}. */
  partials: string[];
  /** Names opening {{#x}} or {{^x}} sections. */
  sections: string[];
}

export function analyzeTemplate(text: string, field = "template"): TemplateAnalysis {
  const { uses, partials, sections } = templateUses(text, field);
  const topLevel = unique(uses.filter((u) => u.sections.length === 0).map((u) => u.name));
  const top = new Set(topLevel);
  const inSections = unique(uses.filter((u) => !top.has(u.name)).map((u) => u.name));
  return { variables: { topLevel, inSections }, partials: unique(partials), sections: unique(sections) };
}
