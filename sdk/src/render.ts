// Rendering with the server's own template code (bundled into dist), so a prompt renders the same in
// the SDK as through POST /api/v1/prompts/resolve. The per-prompt work that does not depend on the
// values (partial graph check, merged variable list, tokenizing) happens once, when a prompt is
// compiled; render() then only coerces values and runs Mustache. Any failure is re-run through the
// server's renderContent, so error codes, messages and details are exactly the server's.
import { AppError } from "../../lib/errors";
import type { Content, Variable as ServerVariable } from "../../lib/registry/content";
import { checkPartialMap, contentNode } from "../../lib/registry/templates/partials";
import { analyzeTemplate, coerceVariables, renderContent } from "../../lib/registry/templates/template";
import { newRenderBudget, renderText, type RenderBudget } from "../../lib/registry/templates/template-syntax";
import { LecternError, lecternError } from "./errors";
import { placeholderValues } from "../../lib/registry/templates/variables";
import type { ChatEntry, Fallback, Message, PromptConfig, PromptType, TemplateMessage, Variable } from "./types";

/** A message without image parts: the fast path renders its content as one template. */
type TextMessage = { role: Message["role"]; content: string };

export interface CompileInput {
  type: PromptType;
  template: string | ChatEntry[];
  variables: Variable[];
  config: PromptConfig;
  /** Partial name → its text, as served in the same environment. */
  partials: Record<string, string>;
  /** Partial name → the variables it declares. */
  declared: Record<string, Variable[]>;
}

export interface Compiled {
  render(values: Record<string, unknown>): string | Message[];
}

function toLecternError(e: unknown): unknown {
  if (e instanceof AppError) return lecternError(e.code, e.message, e.status, e.details);
  return e;
}

// The content's own declaration wins over a partial's; among partials, the first one wins (as on the server).
function mergedVariables(own: Variable[], declared: Record<string, Variable[]>): ServerVariable[] {
  const byName = new Map<string, Variable>();
  for (const v of own) if (!byName.has(v.name)) byName.set(v.name, v);
  for (const list of Object.values(declared)) for (const v of list) if (!byName.has(v.name)) byName.set(v.name, v);
  return [...byName.values()] as ServerVariable[];
}

const noPartial = () => undefined;

export function compile(input: CompileInput): Compiled {
  const content = {
    type: input.type,
    template: input.template,
    variables: input.variables,
    config: input.config,
    examples: [],
  } as unknown as Content;
  const opts = { partials: input.partials, declared: input.declared as Record<string, ServerVariable[]> };
  // The slow, exact path: the server's renderContent, used whenever the fast path would fail.
  const exact = (values: Record<string, unknown>): never => {
    try {
      renderContent(content, values, opts);
    } catch (e) {
      throw toLecternError(e);
    }
    throw new LecternError("Rendering failed in the SDK but not on the server path; please report this.", {
      code: "internal",
    });
  };

  let broken = false;
  try {
    // Also tokenizes every piece and partial, which fills Mustache's template cache.
    // The same graph checks as the server: cycles, depth, and the expanded size.
    checkPartialMap(contentNode(content), input.partials);
  } catch {
    broken = true;
  }
  const variables = mergedVariables(input.variables, input.declared);
  const partials = input.partials;
  const lookup = (name: string) => (Object.hasOwn(partials, name) ? partials[name] : undefined);
  const partialLookup = Object.keys(partials).length > 0 ? lookup : noPartial;

  const coerce = (values: Record<string, unknown>): Record<string, unknown> => {
    const c = coerceVariables(variables, values);
    if (broken || c.missing.length > 0 || c.invalid.length > 0) exact(values);
    return c.values;
  };
  const text = (
    source: string,
    view: Record<string, unknown>,
    values: Record<string, unknown>,
    budget: RenderBudget = newRenderBudget(),
  ): string => {
    try {
      return renderText(source, view, partialLookup, budget);
    } catch {
      return exact(values);
    }
  };

  if (input.type === "text") {
    const source = input.template as string;
    return { render: (values) => text(source, coerce(values), values) };
  }
  const messages = input.template as ChatEntry[];
  // Images: the server's renderContent (rare, and image values need its checks); errors as always.
  if (messages.some((m) => !("type" in m) && typeof m.content !== "string"))
    return {
      render(values) {
        try {
          return renderContent(content as Extract<Content, { type: "chat" }>, values, opts).rendered as Message[];
        } catch (e) {
          throw toLecternError(e);
        }
      },
    };
  const hasPlaceholders = messages.some((m) => "type" in m && m.type === "placeholder");
  if (hasPlaceholders) {
    // Placeholder values are checked and inserted by the server's own code.
    return {
      render(values) {
        const view = coerce(values);
        const slots = placeholderValues(content, values);
        if (slots.missing.length > 0 || slots.invalid.length > 0) exact(values);
        const out: Message[] = [];
        const budget = newRenderBudget();
        for (const m of messages) {
          if ("type" in m && m.type === "placeholder") out.push(...slots.messages[m.name]!);
          else {
            const msg = m as TextMessage;
            out.push({ role: msg.role, content: text(msg.content, view, values, budget) });
          }
        }
        return out;
      },
    };
  }
  return {
    render(values) {
      const view = coerce(values);
      const out = new Array<Message>(messages.length);
      const budget = newRenderBudget(); // the server bounds all messages of one render together
      for (let i = 0; i < messages.length; i++) {
        const m = messages[i] as TextMessage;
        out[i] = { role: m.role, content: text(m.content, view, values, budget) };
      }
      return out;
    },
  };
}

/** Normalises a hard-coded fallback; a variable list is inferred from a bare template, all optional. */
export function fallbackInput(fallback: Fallback): CompileInput {
  const f = typeof fallback === "string" ? { type: "text" as const, template: fallback } : fallback;
  let variables: Variable[];
  if (f.type !== "text" && f.type !== "chat")
    throw new LecternError('fallback.type must be "text" or "chat"', { code: "invalid_input" });
  if ("variables" in f && f.variables) {
    variables = f.variables.map((v) => ({ ...v, type: v.type ?? "string", required: v.required ?? true }));
  } else {
    const entries = typeof f.template === "string" ? [] : f.template.filter((m) => !("type" in m));
    const contents = entries.map((m) => (m as TemplateMessage).content);
    const texts =
      typeof f.template === "string"
        ? [f.template]
        : contents.flatMap((c) =>
            typeof c === "string" ? [c] : c.flatMap((p) => (p.type === "text" ? [p.text] : [])),
          );
    const images = contents.flatMap((c) =>
      typeof c === "string" ? [] : c.flatMap((p) => ("variable" in p ? [p.variable] : [])),
    );
    const names = new Set<string>();
    try {
      for (const t of texts) {
        const a = analyzeTemplate(t, "fallback").variables;
        for (const n of [...a.topLevel, ...a.inSections]) names.add(n);
      }
    } catch (e) {
      throw toLecternError(e);
    }
    variables = [
      ...[...names].map((name): Variable => ({ name, type: "json", required: false })),
      ...[...new Set(images)].map((name): Variable => ({ name, type: "image", required: false })),
    ];
  }
  return {
    type: f.type,
    template: f.template,
    variables,
    config: ("config" in f && f.config) || {},
    partials: {},
    declared: {},
  };
}
