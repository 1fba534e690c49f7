// A Lectern version as PromptLayer's clients read it (a "prompt blueprint"): `prompt_template` (chat messages
// with content blocks, or a completion), `metadata.model` and `llm_kwargs`. Unrendered, the templates are written
// in PromptLayer's own syntax through Interface A (toForeignTemplate): f-string when every text of the version can
// be, else jinja2 for all of them (one format per version: the JS client renders llm_kwargs with the first
// message's); a version neither can carry exactly is refused, naming the construct. Rendered, the text is what
// Lectern's one render path made of it.
import type { Message, ModelConfig, TemplateContent, Variable } from "../../registry/content";
import { isPlaceholder } from "../../registry/content-model";
import type { MessagePart, RenderedPart } from "../../registry/content-parts";
import { toForeignTemplate } from "../../registry/formats/foreign-templates";
import { FormatRefusal, refusalError } from "../../registry/formats/ir";
import { inlinePartials } from "../../registry/templates/partial-refs";
import { analyzeTemplate, type RenderedMessage } from "../../registry/templates/template";
import type { PlContent } from "./shapes";

export type PlFormat = "f-string" | "jinja2";

export type PlMessage =
  | { role: "placeholder"; name: string; content?: undefined }
  | { role: string; content: PlContent[]; template_format: PlFormat; input_variables: string[] };

export type PlPromptTemplate =
  | {
      type: "chat";
      messages: PlMessage[];
      input_variables: string[];
      tools?: unknown[];
      tool_choice?: unknown;
    }
  | { type: "completion"; content: PlContent[]; template_format: PlFormat; input_variables: string[] };

const parts = (content: string | (MessagePart | RenderedPart)[], text: (t: string) => string): PlContent[] =>
  typeof content === "string"
    ? [{ type: "text", text: text(content) }]
    : content.map((p): PlContent =>
        p.type === "text"
          ? { type: "text", text: text(p.text) }
          : "variable" in p
            ? { type: "media_variable", name: p.variable }
            : { type: "image_url", image_url: { url: p.url } },
      );

const variablesOf = (texts: string[]) => [...new Set(texts.flatMap((t) => analyzeTemplate(t).variables.topLevel))];

const messageTexts = (m: Message) =>
  typeof m.content === "string" ? [m.content] : m.content.flatMap((p) => (p.type === "text" ? [p.text] : []));

/** Tools and tool choice ride in the config; PromptLayer keeps them on a chat template. */
function chatExtras(config: ModelConfig) {
  return {
    ...(config.tools?.length ? { tools: config.tools } : {}),
    ...(config.tool_choice !== undefined ? { tool_choice: config.tool_choice } : {}),
  };
}

/** The variables a version declares (its own and its partials'): their types say what a section is in jinja2. */
export type Declared = Pick<Variable, "name" | "type">[];

/** One version's templates, partials inlined, in `format`: throws FormatRefusal for a construct it cannot carry. */
function writeIn(content: TemplateContent, inline: (t: string) => string, format: PlFormat, variables: Declared) {
  const convert = (t: string, field: string) => toForeignTemplate(inline(t), format, field, variables);
  const declared = variables.map((v) => v.name);
  if (content.type === "text") {
    const template = inline(content.template);
    return {
      type: "completion" as const,
      content: [{ type: "text" as const, text: convert(content.template, "template") }],
      template_format: format,
      input_variables: declared.length ? declared : variablesOf([template]),
    };
  }
  const messages = content.template.map((m, i): PlMessage => {
    if (isPlaceholder(m)) return { role: "placeholder", name: m.name };
    return {
      role: m.role,
      content: parts(m.content, (t) => convert(t, `template.messages[${i}]`)),
      template_format: format,
      input_variables: variablesOf(messageTexts(m).map(inline)),
    };
  });
  return { type: "chat" as const, messages, input_variables: declared, ...chatExtras(content.config) };
}

/**
 * The version's templates in PromptLayer's syntax: f-string, else jinja2. `partials`: the texts its
 * `{{> name}}` includes, as the environment serves them (inlined: PromptLayer's clients render no partials).
 */
export function unrenderedTemplate(
  content: TemplateContent,
  partials: Record<string, string>,
  declared: Declared,
): PlPromptTemplate {
  const inline = (t: string) => inlinePartials(t, partials);
  try {
    return writeIn(content, inline, "f-string", declared);
  } catch (e) {
    if (!(e instanceof FormatRefusal)) throw e;
    try {
      return writeIn(content, inline, "jinja2", declared);
    } catch (e2) {
      if (!(e2 instanceof FormatRefusal)) throw e2;
      throw refusalError(e2, "PromptLayer's f-string and jinja2 formats cannot carry this version exactly");
    }
  }
}

/** What Lectern rendered, as a PromptLayer template (its text holds no template syntax any more). */
export function renderedTemplate(
  rendered: string | RenderedMessage[],
  config: ModelConfig,
  declared: string[],
): PlPromptTemplate {
  const same = (t: string) => t;
  if (typeof rendered === "string")
    return {
      type: "completion",
      content: parts(rendered, same),
      template_format: "f-string",
      input_variables: declared,
    };
  return {
    type: "chat",
    messages: rendered.map((m) => ({
      role: m.role,
      content: parts(m.content, same),
      template_format: "f-string" as const,
      input_variables: [],
    })),
    input_variables: declared,
    ...chatExtras(config),
  };
}
