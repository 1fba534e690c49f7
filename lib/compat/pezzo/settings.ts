// A version's model settings as Pezzo's `settings`: PezzoOpenAI spreads them into OpenAI's chat request
// ({messages, ...settings, ...the caller's options}), so they are OpenAI's parameters under OpenAI's names.
// Lectern's config is loose (provider-specific keys such as seed or frequency_penalty pass as written);
// the few it names its own way are renamed, tools and response formats written in OpenAI's shape.
import type { ModelConfig } from "../../registry/content";
import { normalizeResponseFormat, normalizeTools } from "../../llm/request";

const renamed: Record<string, string> = { maxTokens: "max_tokens", topP: "top_p" };
// provider chooses a connection in Lectern and has no OpenAI parameter; messages would replace the prompt's.
const dropped = new Set(["provider", "messages", "tools", "responseFormat"]);

function openAIResponseFormat(raw: unknown): Record<string, unknown> | undefined {
  const rf = normalizeResponseFormat(raw);
  if (!rf) return undefined;
  if (rf.type === "text") return { type: "text" };
  if (!rf.schema) return { type: "json_object" };
  return {
    type: "json_schema",
    json_schema: {
      name: rf.name ?? "output",
      schema: rf.schema,
      ...(rf.description !== undefined && { description: rf.description }),
    },
  };
}

/** Lectern's config as the OpenAI parameters PezzoOpenAI sends with the messages. */
export function pezzoSettings(config: ModelConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config))
    if (value !== undefined && !dropped.has(key)) out[renamed[key] ?? key] = value;
  if (Array.isArray(out.stop) && out.stop.length === 0) delete out.stop;
  if (config.tools?.length) out.tools = normalizeTools(config.tools).map((t) => ({ type: "function", function: t }));
  const responseFormat = openAIResponseFormat(config.responseFormat);
  if (responseFormat) out.response_format = responseFormat;
  return out;
}
