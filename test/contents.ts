// Prompt contents for tests: a text template or chat messages, plus any other fields (`extra`); parsed, or as
// createPrompt takes them.
import { contentSchema, type ChatContent, type TextContent } from "../lib/registry/content";

/** A chat message as [role, content], or any other entry of a chat template as it is (a placeholder). */
export type Message = [string, string] | Record<string, unknown>;

const entry = (m: Message) => (Array.isArray(m) ? { role: m[0], content: m[1] } : m);

export const text = (template: string, extra: Record<string, unknown> = {}): TextContent =>
  contentSchema.parse({ type: "text", template, ...extra }) as TextContent;

export const chat = (messages: Message[], extra: Record<string, unknown> = {}): ChatContent =>
  contentSchema.parse({
    type: "chat",
    template: messages.map(entry),
    ...extra,
  }) as ChatContent;

/** A chat prompt as createPrompt takes it, not parsed: its name, its messages and any other fields (`extra`). */
export const chatPrompt = (name: string, messages: Message[], extra: Record<string, unknown> = {}) => ({
  name,
  type: "chat",
  template: messages.map(entry),
  ...extra,
});

/** A text prompt as createPrompt takes it, not parsed: its name, its template and any other fields (`extra`). */
export const textPrompt = (name: string, template: string, extra: Record<string, unknown> = {}) => ({
  name,
  type: "text",
  template,
  ...extra,
});
