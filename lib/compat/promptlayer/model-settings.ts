// A version's model settings in PromptLayer's words: Lectern's config ↔ Metadata.model {provider, name,
// parameters} (parameters snake_case, as the providers' APIs take them), and the `llm_kwargs` PromptLayer
// answers for OpenAI's and Anthropic's APIs. Lectern's config is loose: keys it does not rename pass through.
import { AppError } from "../../errors";
import type { ModelConfig } from "../../registry/content";
import type { RenderedPart } from "../../registry/content-parts";
import { toAnthropic, toOpenAI, type RenderedChatMessage } from "../../registry/message-formats";
import type { PlContent } from "./shapes";

export type PlModel = { provider: string; name: string; parameters: Record<string, unknown>; api_type?: string };

const toPl: Record<string, string> = {
  maxTokens: "max_tokens",
  topP: "top_p",
  responseFormat: "response_format",
};
const fromPl: Record<string, string> = {
  max_tokens: "maxTokens",
  max_completion_tokens: "maxTokens",
  top_p: "topP",
  response_format: "responseFormat",
};
/** Config keys that are not model parameters: the model itself, and what a chat template carries. */
const notParameters = new Set(["provider", "model", "tools", "tool_choice"]);

/** PromptLayer's provider names (Model.provider). Lectern's other connection kinds speak OpenAI's API. */
export const plProviders = [
  "openai",
  "anthropic",
  "openai.azure",
  "google",
  "vertexai",
  "amazon.bedrock",
  "anthropic.bedrock",
  "mistral",
  "cohere",
  "huggingface",
];
const openAiLike = new Set(["openai", "openai.azure", "mistral"]);

/** Metadata.model of a config (undefined without a model): `model` overrides its name (GetPromptTemplate.model). */
export function plModelOf(config: ModelConfig, model?: string | null, overrides?: Record<string, unknown> | null) {
  const name = model ?? config.model;
  if (!name) return undefined;
  const provider =
    config.provider && plProviders.includes(config.provider)
      ? config.provider
      : name.startsWith("claude")
        ? "anthropic"
        : "openai";
  const parameters: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config))
    if (!notParameters.has(k) && v !== undefined) parameters[toPl[k] ?? k] = v;
  // PromptLayer's run() calls OpenAI's Chat Completions only when api_type says so (else the Responses API):
  // llm_kwargs below are Chat Completions' request.
  const api = openAiLike.has(provider) ? { api_type: "chat-completions" } : {};
  return { provider, name, parameters: { ...parameters, ...overrides }, ...api } satisfies PlModel;
}

/** Lectern's config from PromptLayer's Metadata.model and a chat template's tools. */
export function configFromPl(
  model: { provider?: string | null; name?: string | null; parameters?: Record<string, unknown> | null } | null,
  extras: { tools?: unknown[] | null; tool_choice?: unknown } = {},
): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (model?.provider) config.provider = model.provider;
  if (model?.name) config.model = model.name;
  for (const [k, v] of Object.entries(model?.parameters ?? {})) {
    if (v === null || v === undefined) continue;
    config[fromPl[k] ?? k] = k === "stop" && typeof v === "string" ? [v] : v;
  }
  if (extras.tools?.length) config.tools = extras.tools;
  if (extras.tool_choice !== undefined && extras.tool_choice !== null) config.tool_choice = extras.tool_choice;
  return config;
}

/** A message's blocks as rendered parts (text and image URLs); an unfilled media variable has no URL yet. */
function renderedParts(content: PlContent[]): string | RenderedPart[] {
  const out = content.flatMap((c): RenderedPart[] =>
    c.type === "text"
      ? [{ type: "text", text: c.text }]
      : c.type === "image_url"
        ? [{ type: "image", url: c.image_url.url }]
        : [],
  );
  return out.length === 1 && out[0]!.type === "text" ? out[0]!.text : out;
}

type Template =
  | { type: "chat"; messages: { role: string; content?: PlContent[] }[]; tools?: unknown[]; tool_choice?: unknown }
  | { type: "completion"; content: PlContent[] };

/**
 * `llm_kwargs`: the request PromptLayer's clients hand to the provider's SDK, for OpenAI-style and Anthropic
 * providers; null with a warning for others (their shapes change without notice, PromptLayer warns as well).
 */
export function llmKwargsOf(
  pt: Template,
  model: PlModel,
  provider?: string | null,
): { kwargs: Record<string, unknown> | null; warning: string | null } {
  const p = provider ?? model.provider;
  const messages: RenderedChatMessage[] =
    pt.type === "chat"
      ? pt.messages.flatMap((m) =>
          m.role === "placeholder" ? [] : [{ role: m.role, content: renderedParts(m.content ?? []) }],
        )
      : [{ role: "user", content: renderedParts(pt.content) }];
  const base = { model: model.name, ...model.parameters };
  const tools = pt.type === "chat" && pt.tools?.length ? { tools: pt.tools, tool_choice: pt.tool_choice } : {};
  try {
    if (openAiLike.has(p)) {
      if (pt.type === "completion") return { kwargs: { ...base, prompt: renderedParts(pt.content) }, warning: null };
      return { kwargs: { ...base, messages: toOpenAI(messages), ...tools }, warning: null };
    }
    if (p === "anthropic") return { kwargs: { ...base, ...toAnthropic(messages), ...tools }, warning: null };
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return { kwargs: null, warning: `llm_kwargs for ${p}: ${e.message}` };
  }
  return {
    kwargs: null,
    warning: `Lectern writes llm_kwargs for OpenAI-style providers and Anthropic, not ${p}: use prompt_template.`,
  };
}
