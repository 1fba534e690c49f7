// The editor's working copy of a prompt version: form-friendly (numbers and JSON kept as the text the
// user typed) and convertible to and from the stored Content. Pure; shared by every editing page.
import {
  contentSchema,
  isPlaceholder,
  type Content,
  type Message,
  type MessageRole,
  type VariableType,
} from "@/lib/registry/content";
import { isImagePart } from "@/lib/registry/content-parts";
import { sentence } from "@/lib/sentence";
import { fileEdits, filesOf, modesOf, skillTemplate, type FileEdit } from "./skill-state";

export { skillTemplate, type FileEdit };
export { fieldLabel, shownAtField } from "./field-labels";

export type VariableEdit = {
  key: string;
  name: string;
  type: VariableType;
  required: boolean;
  defaultText: string;
  description: string;
  /** The value's JSON Schema, kept as loaded (read-only in the editor; changing the type drops it). */
  schema?: Record<string, unknown>;
};
/** An image of a message: a URL (https: or a stored data: URL) or the name of an image variable. */
export type ImageEdit = { key: string; source: "url" | "variable"; value: string };
/**
 * One chat entry; a placeholder (role "placeholder") holds its name in `content`. A message with images
 * is its text followed by its images; `reordered` says the stored message had text after an image, which
 * saving from the editor moves before them.
 */
export type MessageEdit = {
  key: string;
  role: MessageRole | "placeholder";
  content: string;
  images?: ImageEdit[];
  reordered?: boolean;
};
/** A few-shot example: the variables it was given (as JSON text while editing) and the ideal output. */
export type ExampleEdit = { key: string; inputText: string; output: string };
export type ConfigEdit = {
  provider: string;
  model: string;
  temperature: string;
  maxTokens: string;
  topP: string;
  stop: string;
  tools: string;
  responseFormat: string;
  /** Any other provider-specific keys, as JSON; kept so a round trip loses nothing. */
  extra: string;
};
export type EditorState = {
  type: "text" | "chat" | "skill";
  text: string;
  messages: MessageEdit[];
  /** A skill's files (SKILL.md first); empty for text and chat prompts. */
  files: FileEdit[];
  variables: VariableEdit[];
  config: ConfigEdit;
  examples: ExampleEdit[];
};

// Keys of items added while editing; items loaded from content get index-based keys, so the
// server-rendered form and the hydrating client agree on element ids.
let counter = 0;
export const newKey = () => `n${++counter}`;

const json = (v: unknown) => (v === undefined ? "" : JSON.stringify(v, null, 2));
const known = ["provider", "model", "temperature", "maxTokens", "topP", "stop", "tools", "responseFormat"];

function defaultText(type: VariableType, value: unknown): string {
  if (value === undefined) return "";
  if (type === "string" && typeof value === "string") return value;
  if (type === "json") return JSON.stringify(value);
  return String(value);
}

function messageEdit(m: Message, i: number): MessageEdit {
  const key = `m${i}`;
  if (typeof m.content === "string") return { key, role: m.role, content: m.content };
  const texts = m.content.flatMap((p) => (p.type === "text" ? [p.text] : []));
  const images = m.content.filter(isImagePart).map((p, j): ImageEdit => ({
    key: `${key}i${j}`,
    ...("variable" in p ? { source: "variable", value: p.variable } : { source: "url", value: p.url }),
  }));
  const firstImage = m.content.findIndex((p) => p.type === "image");
  const reordered = texts.length > 1 || (firstImage >= 0 && m.content.slice(firstImage).some((p) => p.type === "text"));
  return { key, role: m.role, content: texts.join("\n\n"), images, ...(reordered && { reordered }) };
}

/** A message's stored content: its text alone, or its text then its images. */
function messageContent(m: MessageEdit): Message["content"] {
  if (!m.images?.length) return m.content;
  const images = m.images.map((im) =>
    im.source === "url" ? { type: "image", url: im.value.trim() } : { type: "image", variable: im.value.trim() },
  );
  return [...(m.content ? [{ type: "text", text: m.content }] : []), ...images] as Message["content"];
}

export function fromContent(c: Content): EditorState {
  const extra = Object.fromEntries(Object.entries(c.config).filter(([k]) => !known.includes(k)));
  return {
    type: c.type,
    text: c.type === "text" ? c.template : "",
    messages:
      c.type === "chat"
        ? c.template.map((m, i) =>
            isPlaceholder(m) ? { key: `m${i}`, role: "placeholder" as const, content: m.name } : messageEdit(m, i),
          )
        : [],
    files: c.type === "skill" ? fileEdits(c.files, c.modes) : [],
    variables: c.variables.map((v, i) => ({
      key: `v${i}`,
      name: v.name,
      type: v.type,
      required: v.required,
      defaultText: defaultText(v.type, v.default),
      description: v.description ?? "",
      ...(v.schema ? { schema: v.schema } : {}),
    })),
    config: {
      provider: c.config.provider ?? "",
      model: c.config.model ?? "",
      temperature: c.config.temperature === undefined ? "" : String(c.config.temperature),
      maxTokens: c.config.maxTokens === undefined ? "" : String(c.config.maxTokens),
      topP: c.config.topP === undefined ? "" : String(c.config.topP),
      stop: (c.config.stop ?? []).join("\n"),
      tools: json(c.config.tools),
      responseFormat: json(c.config.responseFormat),
      extra: Object.keys(extra).length ? json(extra) : "",
    },
    examples: c.examples.map((e, i) => ({
      key: `e${i}`,
      inputText: JSON.stringify(e.input, null, 2),
      output: e.output,
    })),
  };
}

export function emptyState(type: "text" | "chat" | "skill"): EditorState {
  if (type === "skill")
    return fromContent({
      type,
      files: { "SKILL.md": skillTemplate("my-skill") },
      variables: [],
      config: {},
      examples: [],
    });
  return fromContent(
    type === "text"
      ? { type, template: "", variables: [], config: {}, examples: [] }
      : {
          type,
          template: [
            { role: "system", content: "" },
            { role: "user", content: "" },
          ],
          variables: [],
          config: {},
          examples: [],
        },
  );
}

/** Field path → message, e.g. "variables.1.default" or "config.temperature". */
export type FieldErrors = Record<string, string>;

function parseJsonField(text: string, field: string, errors: FieldErrors): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    errors[field] = "Not valid JSON.";
    return undefined;
  }
}

function parseNumberField(text: string, field: string, errors: FieldErrors): number | undefined {
  if (!text.trim()) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) errors[field] = "Must be a number.";
  return Number.isFinite(n) ? n : undefined;
}

function variableDefault(v: VariableEdit, i: number, errors: FieldErrors): unknown {
  const field = `variables.${i}.default`;
  switch (v.type) {
    case "string":
      return v.defaultText === "" ? undefined : v.defaultText;
    case "number":
      return parseNumberField(v.defaultText, field, errors);
    case "boolean":
      return v.defaultText === "" ? undefined : v.defaultText === "true";
    case "json":
      return parseJsonField(v.defaultText, field, errors);
    case "image":
      return v.defaultText.trim() === "" ? undefined : v.defaultText.trim();
  }
}

/** The stored shape of the working copy, before schema validation (so partial input still previews). */
export function toCandidate(s: EditorState): { candidate: Record<string, unknown>; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const config: Record<string, unknown> = {};
  const extra = parseJsonField(s.config.extra, "config.extra", errors);
  if (extra !== undefined) {
    if (typeof extra === "object" && extra !== null && !Array.isArray(extra)) Object.assign(config, extra);
    else errors["config.extra"] = "Must be a JSON object.";
  }
  if (s.config.provider.trim()) config.provider = s.config.provider.trim();
  if (s.config.model.trim()) config.model = s.config.model.trim();
  const numbers = [
    ["temperature", s.config.temperature],
    ["maxTokens", s.config.maxTokens],
    ["topP", s.config.topP],
  ] as const;
  for (const [k, text] of numbers) {
    const n = parseNumberField(text, `config.${k}`, errors);
    if (n !== undefined) config[k] = n;
  }
  const stop = s.config.stop
    .split("\n")
    .map((x) => x.trim())
    .filter(Boolean);
  if (stop.length) config.stop = stop;
  const tools = parseJsonField(s.config.tools, "config.tools", errors);
  if (tools !== undefined) config.tools = tools;
  const responseFormat = parseJsonField(s.config.responseFormat, "config.responseFormat", errors);
  if (responseFormat !== undefined) config.responseFormat = responseFormat;

  const variables = s.variables.map((v, i) => {
    const out: Record<string, unknown> = { name: v.name.trim(), type: v.type, required: v.required };
    const d = variableDefault(v, i, errors);
    if (d !== undefined) out.default = d;
    if (v.description.trim()) out.description = v.description.trim();
    if (v.schema) out.schema = v.schema;
    return out;
  });
  if (s.type === "skill")
    return {
      candidate: { type: s.type, files: filesOf(s.files, errors), modes: modesOf(s.files), config },
      errors,
    };
  const template =
    s.type === "text"
      ? s.text
      : s.messages.map((m) =>
          m.role === "placeholder"
            ? { type: "placeholder", name: m.content.trim() }
            : { role: m.role, content: messageContent(m) },
        );
  const examples = s.examples.map((e, i) => {
    const input = e.inputText.trim() ? parseJsonField(e.inputText, `examples.${i}.input`, errors) : {};
    if (input !== undefined && (typeof input !== "object" || input === null || Array.isArray(input)))
      errors[`examples.${i}.input`] = "Must be a JSON object of variable values.";
    return { input: input ?? {}, output: e.output };
  });
  return { candidate: { type: s.type, template, variables, config, examples }, errors };
}

/** Validates the working copy with the same schema the server uses. */
export function toContent(s: EditorState): { content: Content | null; errors: FieldErrors } {
  const { candidate, errors } = toCandidate(s);
  const parsed = contentSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join(".") || "content";
      errors[path] ??= sentence(issue.message);
    }
  }
  return { content: parsed.success && Object.keys(errors).length === 0 ? parsed.data : null, errors };
}

export { sentence };

/** Switching a new prompt between text and chat keeps what was written. */
export function switchType(s: EditorState, type: "text" | "chat" | "skill"): EditorState {
  if (s.type === type) return s;
  // A skill is files, not a template: switching to or from one starts that kind afresh.
  if (type === "skill" || s.type === "skill") return { ...emptyState(type), config: s.config };
  if (type === "chat") return { ...s, type, messages: [{ key: newKey(), role: "user", content: s.text }] };
  return {
    ...s,
    type,
    text: s.messages
      .filter((m) => m.role !== "placeholder")
      .map((m) => m.content)
      .join("\n\n"),
  };
}
