// One source version as Lectern content: its templates converted to Lectern's Mustache (a construct that cannot
// be carried refuses the version, named), its messages' roles in Lectern's words, its model settings as
// Lectern's model config. Parameters Lectern names otherwise are renamed; every other one is kept as given
// (Lectern's config keeps provider-specific keys); one that would overwrite another is reported, not dropped.
import { AppError } from "../../errors";
import { assertSafeValue } from "../../input-safety";
import { parseContent, type Content } from "../../registry/content";
import { fromForeignTemplates } from "../../registry/formats/foreign-templates";
import { isPlainObject } from "../../registry/json";
import { validateContent } from "../../registry/templates/template";
import type { ForeignVersion } from "./types";

/** The source's names for Lectern's config keys (OpenAI's, Anthropic's, Google's, LangChain's). */
const parameterNames: Record<string, string> = {
  temperature: "temperature",
  max_tokens: "maxTokens",
  maxTokens: "maxTokens",
  max_output_tokens: "maxTokens",
  max_completion_tokens: "maxTokens",
  maxOutputTokens: "maxTokens",
  top_p: "topP",
  topP: "topP",
  stop: "stop",
  stop_sequences: "stop",
  stopSequences: "stop",
  response_format: "responseFormat",
  responseFormat: "responseFormat",
  tools: "tools",
};

/** Roles other systems name otherwise (LangChain's human and ai). */
const roleNames: Record<string, string> = { human: "user", ai: "assistant" };

/** The model settings as Lectern's config, and what was not kept (said in the report). */
export function modelConfig(model: ForeignVersion["model"]): { config: Record<string, unknown>; notes: string[] } {
  const config: Record<string, unknown> = {};
  const notes: string[] = [];
  if (!model) return { config, notes };
  if (model.provider !== undefined) config.provider = model.provider;
  if (model.name !== undefined) config.model = model.name;
  const parameters = model.parameters ?? {};
  if (!isPlainObject(parameters))
    throw new AppError("invalid_input", "model.parameters must be an object", { field: "model.parameters" });
  for (const [key, value] of Object.entries(parameters)) {
    if (value === undefined || value === null) continue;
    const name = parameterNames[key] ?? key;
    if (name === "provider" || name === "model" || name in config) {
      notes.push(
        `model parameter ${key} not kept: ${name in config && parameterNames[key] ? `another parameter already gives ${name}` : `Lectern's config holds the ${name} apart`}`,
      );
      continue;
    }
    config[name] = name === "stop" && typeof value === "string" ? [value] : value;
  }
  return { config, notes };
}

/** A source version as Lectern content; throws FormatRefusal (a template) or AppError naming the field. */
export function foreignContent(v: ForeignVersion): { content: Content; notes: string[]; converted: boolean } {
  assertSafeValue(v.content, "content");
  assertSafeValue(v.model ?? {}, "model");
  const { config, notes } = modelConfig(v.model);
  if (v.content.type === "text") {
    const { templates, variables } = fromForeignTemplates([{ text: v.content.template, field: "template" }], v.format);
    const content = parseContent({ type: "text", template: templates[0], variables, config });
    validateContent(content);
    return { content, notes, converted: templates[0] !== v.content.template };
  }
  const messages = v.content.messages;
  const pieces = messages.flatMap((m, i) =>
    "content" in m && m.role !== "placeholder" ? [{ text: m.content, field: `template.messages[${i}]`, i }] : [],
  );
  const { templates, variables } = fromForeignTemplates(pieces, v.format);
  const converted = new Map(pieces.map((p, k) => [p.i, templates[k]!]));
  const template = messages.map((m, i) =>
    "name" in m && m.role === "placeholder"
      ? { type: "placeholder", name: m.name }
      : { role: roleNames[m.role] ?? m.role, content: converted.get(i) },
  );
  const content = parseContent({ type: "chat", template, variables, config });
  validateContent(content);
  return { content, notes, converted: pieces.some((p, k) => templates[k] !== p.text) };
}
