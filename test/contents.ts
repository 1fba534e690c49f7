// Parsed prompt contents for unit tests: a text template or chat messages, plus any other fields (`extra`).
import { contentSchema, type ChatContent, type TextContent } from "../lib/registry/content";

/** A chat message as [role, content], or any other entry of a chat template as it is (a placeholder). */
export type Message = [string, string] | Record<string, unknown>;

export const text = (template: string, extra: Record<string, unknown> = {}): TextContent =>
  contentSchema.parse({ type: "text", template, ...extra }) as TextContent;

export const chat = (messages: Message[], extra: Record<string, unknown> = {}): ChatContent =>
  contentSchema.parse({
    type: "chat",
    template: messages.map((m) => (Array.isArray(m) ? { role: m[0], content: m[1] } : m)),
    ...extra,
  }) as ChatContent;
