// A Lectern version as LangSmith's hub serves a commit: a serialized LangChain prompt (the `manifest`) that
// LangChain's own `load()` (and `langchain/hub`'s `pull`) turns into a ChatPromptTemplate or PromptTemplate.
// Messages by role: system, user (human) and assistant (ai) as their message templates, any other role as a
// ChatMessagePromptTemplate with it, a placeholder as a MessagesPlaceholder. Templates are written through
// Interface A (toForeignTemplate): f-string when every text of the version can be, else mustache for all of them
// (one format per version, as a ChatPromptTemplate has one); what neither can carry exactly — or an image part —
// is refused, named. With `includeModel` and a model LangChain's hub names (OpenAI's, Anthropic's), the manifest
// is a RunnableSequence of the prompt and the model, as LangSmith stores one; otherwise the prompt alone.
import { AppError } from "../../errors";
import type { ModelConfig, TemplateContent, Variable } from "../../registry/content";
import { isPlaceholder } from "../../registry/content-model";
import { toForeignTemplate } from "../../registry/formats/foreign-templates";
import { FormatRefusal, refusalError } from "../../registry/formats/ir";
import { inlinePartials } from "../../registry/templates/partial-refs";
import { analyzeTemplate } from "../../registry/templates/template";

export type LsFormat = "f-string" | "mustache";
/** The variables a version declares (its own and its partials'): their types say what a section is. */
export type Declared = Pick<Variable, "name" | "type">[];
export type LcObject = { lc: 1; type: "constructor"; id: string[]; kwargs: Record<string, unknown> };

const lc = (id: string[], kwargs: Record<string, unknown>): LcObject => ({ lc: 1, type: "constructor", id, kwargs });
// LangChain JS's own namespace: its load() and langchain/hub's pull both read it (LangSmith's Python-made manifests say
// "langchain", which only langchain's loader maps).
const prompts = (...id: string[]) => ["langchain_core", "prompts", ...id];

/** LangChain's message template classes by Lectern role; any other role is a ChatMessagePromptTemplate. */
const messageClasses: Record<string, string> = {
  system: "SystemMessagePromptTemplate",
  user: "HumanMessagePromptTemplate",
  assistant: "AIMessagePromptTemplate",
};

const unique = (names: string[]) => [...new Set(names)];

/** The variables a text uses at its top level (what LangChain asks for when formatting it). */
const variablesOf = (text: string) => analyzeTemplate(text).variables.topLevel;

function promptTemplate(template: string, format: LsFormat, inputVariables: string[]): LcObject {
  return lc(prompts("prompt", "PromptTemplate"), {
    input_variables: inputVariables,
    template_format: format,
    template,
  });
}

function imageRefused(field: string): never {
  throw new AppError(
    "unprocessable",
    `${field}: an image part: Lectern writes LangChain manifests of text messages (read images through Lectern's own API).`,
    { field, construct: "image" },
  );
}

function writeIn(content: TemplateContent, inline: (t: string) => string, format: LsFormat, declared: Declared) {
  const convert = (t: string, field: string) => toForeignTemplate(inline(t), format, field, declared);
  if (content.type === "text") {
    const text = inline(content.template);
    return promptTemplate(convert(content.template, "template"), format, unique(variablesOf(text)));
  }
  const all: string[] = [];
  const messages = content.template.map((m, i) => {
    const field = `template.messages[${i}]`;
    if (isPlaceholder(m)) {
      all.push(m.name);
      return lc(prompts("chat", "MessagesPlaceholder"), { variable_name: m.name, optional: false });
    }
    const text =
      typeof m.content === "string"
        ? m.content
        : m.content.map((p, j) => (p.type === "text" ? p.text : imageRefused(`${field}.content[${j}]`))).join("");
    const names = unique(variablesOf(inline(text)));
    all.push(...names);
    const prompt = promptTemplate(convert(text, field), format, names);
    const cls = messageClasses[m.role];
    return cls
      ? lc(prompts("chat", cls), { prompt })
      : lc(prompts("chat", "ChatMessagePromptTemplate"), { role: m.role, prompt });
  });
  return lc(prompts("chat", "ChatPromptTemplate"), {
    input_variables: unique(all),
    template_format: format,
    messages,
  });
}

/** The model as LangChain's hub stores one (OpenAI's and Anthropic's chat models), or undefined. */
export function modelManifest(config: ModelConfig): LcObject | undefined {
  if (!config.model) return undefined;
  const common = {
    model: config.model,
    ...(config.temperature !== undefined ? { temperature: config.temperature } : {}),
    ...(config.maxTokens !== undefined ? { max_tokens: config.maxTokens } : {}),
    ...(config.topP !== undefined ? { top_p: config.topP } : {}),
  };
  const provider = config.provider ?? (config.model.startsWith("claude") ? "anthropic" : "openai");
  if (provider === "openai")
    return lc(["langchain", "chat_models", "openai", "ChatOpenAI"], {
      ...common,
      ...(config.stop ? { stop: config.stop } : {}),
    });
  if (provider === "anthropic")
    return lc(["langchain", "chat_models", "anthropic", "ChatAnthropic"], {
      ...common,
      ...(config.stop ? { stop_sequences: config.stop } : {}),
    });
  return undefined;
}

/**
 * The version as a LangChain manifest. `partials`: the texts its `{{> name}}` includes, as the environment
 * serves them (inlined: LangChain renders no partials). Throws a 422 naming what cannot be carried.
 */
export function versionManifest(
  content: TemplateContent,
  partials: Record<string, string>,
  declared: Declared,
  opts: { includeModel?: boolean } = {},
): LcObject {
  const inline = (t: string) => inlinePartials(t, partials);
  let prompt: LcObject;
  try {
    prompt = writeIn(content, inline, "f-string", declared);
  } catch (e) {
    if (!(e instanceof FormatRefusal)) throw e;
    try {
      prompt = writeIn(content, inline, "mustache", declared);
    } catch (e2) {
      if (!(e2 instanceof FormatRefusal)) throw e2;
      throw refusalError(e2, "LangChain's f-string and mustache formats cannot carry this version exactly");
    }
  }
  const model = opts.includeModel ? modelManifest(content.config) : undefined;
  return model ? lc(["langchain_core", "runnables", "RunnableSequence"], { first: prompt, last: model }) : prompt;
}
