// The zod-free half of the content model: constants and pure helpers that rendering needs. Kept apart
// from content.ts so the SDK can bundle the renderer without zod (it runs in edge runtimes).
import type { ChatEntry, Content, Placeholder } from "./content";
import { contentText, imageUrlProblem, maxImageBytes } from "./content-parts";
import { isJsonValue } from "./json";

/** A prompt's kinds: templates rendered for a model (text, chat), and agent skills (folders of files served as written). */
export const contentTypes = ["text", "chat", "skill"] as const;

export const variableTypes = ["string", "number", "boolean", "json", "image"] as const;
export type VariableType = (typeof variableTypes)[number];

/**
 * The roles Lectern's editor offers and its model calls map to providers (lib/llm/request.ts). A message may
 * hold any other role as given (Langfuse's `function`, a custom role): stored, diffed, rendered, resolved and
 * exported unchanged; a model call refuses the ones it cannot map (docs/decisions/message-roles.md).
 */
export const messageRoles = ["system", "user", "assistant", "developer", "tool"] as const;
export type KnownMessageRole = (typeof messageRoles)[number];
export type MessageRole = KnownMessageRole | (string & {});

/**
 * A role a message may hold: 1–64 characters, no control characters, not blank, and not `placeholder`
 * (a placeholder is `{type: "placeholder", name}`; a message of that role would read as one in the editor).
 */
export const isMessageRole = (v: unknown): v is MessageRole =>
  typeof v === "string" &&
  v.length >= 1 &&
  v.length <= 64 &&
  v.trim() !== "" &&
  v !== "placeholder" &&
  !/[\u0000-\u001f\u007f]/.test(v);

export const maxTemplateChars = 200_000;
export const maxMessages = 100;

/** Whether a value is acceptable for a variable of the given type; strict, nothing is coerced. */
export function valueMatchesType(type: VariableType, value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "json":
      return isJsonValue(value);
    case "image":
      return typeof value === "string" && imageUrlProblem(value, maxImageBytes) === null;
  }
}

/** A word for what a value is, for "expected number, got string" messages. */
export function describeValueType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return typeof value;
}

export interface TemplatePiece {
  /** Human key: "template", or "messages[1] (user)". */
  key: string;
  text: string;
  /** Where the piece lives, for error details: "template" or "template.messages[1]". */
  field: string;
  /** For chat pieces only. */
  index?: number;
  role?: MessageRole;
}

/** A chat entry as text: a message's content with images as `[image: …]`, or the placeholder's slot. */
export const entryText = (entry: ChatEntry): string =>
  isPlaceholder(entry) ? `{{> placeholder ${entry.name}}}` : contentText(entry.content);

/** Whether a chat template entry is a placeholder (a slot for messages given at render time). */
export const isPlaceholder = (entry: ChatEntry): entry is Placeholder =>
  "type" in entry && entry.type === "placeholder";

/** The placeholder names of a content, in order (chat prompts only have them). */
export function placeholderNames(content: Content): string[] {
  if (content.type !== "chat") return [];
  return content.template.filter(isPlaceholder).map((p) => p.name);
}

/**
 * The independently templated strings of a content: one for text, one per message for chat.
 * Placeholders hold no text (their messages arrive with the values) and are skipped; indexes stay
 * those of the template, so fields name the right entry.
 */
export function templateTexts(content: Content): TemplatePiece[] {
  // A skill's files are served as written: none of them is a template (its SKILL.md body becomes one only
  // where a prompt includes it as a partial, templates/partials.ts).
  if (content.type === "skill") return [];
  if (content.type === "text") return [{ key: "template", text: content.template, field: "template" }];
  const pieces: TemplatePiece[] = [];
  content.template.forEach((m, index) => {
    if (isPlaceholder(m)) return;
    const key = `messages[${index}] (${m.role})`;
    const field = `template.messages[${index}]`;
    if (typeof m.content === "string") {
      pieces.push({ key, text: m.content, field, index, role: m.role });
      return;
    }
    // A message of parts: each text part is templated on its own; images hold no template.
    m.content.forEach((p, part) => {
      if (p.type === "text")
        pieces.push({
          key: `${key} part ${part}`,
          text: p.text,
          field: `${field}.content[${part}]`,
          index,
          role: m.role,
        });
    });
  });
  return pieces;
}

export { isPromptName } from "./name-rules";
