// Rendered messages in the shapes model SDKs take: OpenAI's chat messages, Anthropic's {system, messages}
// and the AI SDK's ModelMessage list. Zod-free: the TypeScript SDK bundles it. Shared by POST resolve's
// `format` and the SDK's toOpenAI/toAnthropic/toAiSdk, so an application gets the same shape either way.
import { AppError } from "../errors";
import { parseImageDataUrl, type RenderedPart } from "./content-parts";

export const messageFormats = ["openai", "anthropic", "ai-sdk"] as const;
export type MessageFormat = (typeof messageFormats)[number];

/** A rendered message as resolve and the SDKs return it. */
export type RenderedChatMessage = { role: string; content: string | RenderedPart[] };

export type OpenAIPart = { type: "text"; text: string } | { type: "image_url"; image_url: { url: string } };
export type OpenAIMessage = { role: string; content: string | OpenAIPart[] };

export type AnthropicImageSource = { type: "url"; url: string } | { type: "base64"; media_type: string; data: string };
export type AnthropicPart = { type: "text"; text: string } | { type: "image"; source: AnthropicImageSource };
export type AnthropicMessage = { role: "user" | "assistant"; content: string | AnthropicPart[] };
export type AnthropicRequest = { system?: string; messages: AnthropicMessage[] };

export type AiSdkPart = { type: "text"; text: string } | { type: "image"; image: string; mediaType?: string };
export type AiSdkMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string | AiSdkPart[] }
  | { role: "assistant"; content: string | { type: "text"; text: string }[] };

const asMessages = (rendered: string | RenderedChatMessage[]): RenderedChatMessage[] =>
  typeof rendered === "string" ? [{ role: "user", content: rendered }] : rendered;

const refuse = (message: string, index: number) =>
  new AppError("unprocessable", message, { field: `messages[${index}]` });

/** Text only: a system message (or an assistant's, for the AI SDK) cannot carry images. */
function textOnly(m: RenderedChatMessage, index: number, format: string): string {
  if (typeof m.content === "string") return m.content;
  if (m.content.some((p) => p.type === "image"))
    throw refuse(`${format} does not take images in a ${m.role} message (messages[${index}])`, index);
  return m.content.map((p) => (p.type === "text" ? p.text : "")).join("\n");
}

/** OpenAI chat completions: images as image_url parts (https: or data: URLs, as OpenAI accepts both). */
export function toOpenAI(rendered: string | RenderedChatMessage[]): OpenAIMessage[] {
  return asMessages(rendered).map((m) => ({
    role: m.role,
    content:
      typeof m.content === "string"
        ? m.content
        : m.content.map((p): OpenAIPart => (p.type === "text" ? p : { type: "image_url", image_url: { url: p.url } })),
  }));
}

function anthropicImage(url: string): AnthropicPart {
  const data = url.startsWith("data:") ? parseImageDataUrl(url, Number.MAX_SAFE_INTEGER) : null;
  if (data === null) return { type: "image", source: { type: "url", url } };
  if (typeof data === "string") throw new AppError("unprocessable", `image: ${data}`);
  return { type: "image", source: { type: "base64", media_type: data.mediaType, data: data.base64 } };
}

/** Anthropic Messages: system and developer messages joined into `system`; images as image blocks. */
export function toAnthropic(rendered: string | RenderedChatMessage[]): AnthropicRequest {
  const system: string[] = [];
  const messages: AnthropicMessage[] = [];
  asMessages(rendered).forEach((m, i) => {
    if (m.role === "system" || m.role === "developer") system.push(textOnly(m, i, "Anthropic"));
    else if (m.role === "user" || m.role === "assistant")
      messages.push({
        role: m.role,
        content:
          typeof m.content === "string"
            ? m.content
            : m.content.map((p): AnthropicPart => (p.type === "text" ? p : anthropicImage(p.url))),
      });
    else throw refuse(`Anthropic messages have no ${m.role} role (messages[${i}])`, i);
  });
  return system.length > 0 ? { system: system.join("\n\n"), messages } : { messages };
}

/** The AI SDK's ModelMessage list: developer becomes system; images (user messages only) as image parts. */
export function toAiSdk(rendered: string | RenderedChatMessage[]): AiSdkMessage[] {
  return asMessages(rendered).map((m, i): AiSdkMessage => {
    if (m.role === "system" || m.role === "developer") return { role: "system", content: textOnly(m, i, "The AI SDK") };
    if (m.role === "assistant") return { role: "assistant", content: textOnly(m, i, "The AI SDK") };
    if (m.role !== "user")
      throw refuse(`the AI SDK takes a ${m.role} message only with tool results (messages[${i}])`, i);
    if (typeof m.content === "string") return { role: "user", content: m.content };
    return {
      role: "user",
      content: m.content.map((p): AiSdkPart => {
        if (p.type === "text") return p;
        const data = p.url.startsWith("data:") ? parseImageDataUrl(p.url, Number.MAX_SAFE_INTEGER) : null;
        return data && typeof data !== "string"
          ? { type: "image", image: p.url, mediaType: data.mediaType }
          : { type: "image", image: p.url };
      }),
    };
  });
}

/** One of the above by name (POST resolve's `format`). */
export function formatMessages(rendered: string | RenderedChatMessage[], format: MessageFormat) {
  if (format === "openai") return { messages: toOpenAI(rendered) };
  if (format === "anthropic") return toAnthropic(rendered);
  return { messages: toAiSdk(rendered) };
}
