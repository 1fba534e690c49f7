// A PromptLayer template as Lectern content, for templates.publish: each text converted from its message's
// template_format (f-string by default, as PromptLayer reads it) to Lectern's Mustache through Interface A
// (fromForeignTemplates), which refuses a construct it cannot carry exactly, naming it, and declares the variables
// the templates use as their engine treats them. What Lectern's
// content has no place for (tool calls in a message, thinking or media blocks, function messages) is refused,
// never dropped.
import { AppError } from "../../errors";
import { fromForeignTemplates } from "../../registry/formats/foreign-templates";
import { FormatRefusal, refusalError } from "../../registry/formats/ir";
import { configFromPl } from "./model-settings";
import type { PlMessageInput, PlPromptTemplateInput } from "./shapes";

type Part = { type: "text"; text: string } | { type: "image"; url: string } | { type: "image"; variable: string };
type Entry = { role: string; content: string | Part[] } | { type: "placeholder"; name: string };
type Format = "f-string" | "jinja2";
type Variable = { name: string; type: string; required: boolean };

const lecternRoles = new Set(["system", "user", "assistant", "developer", "tool"]);

const refuse = (field: string, message: string) =>
  new AppError("unprocessable", `${field}: ${message}`, { field, construct: field });

/**
 * The template's texts, each in its own format (a chat message may have its own), converted together per format
 * (a name's kind comes from all of a format's texts), with the variables they declare: f-string's required,
 * jinja2's optional (its undefined prints nothing), a name met in both as its first format says.
 */
class Texts {
  private pieces: { text: string; field: string; format: Format; slot: { text: string } }[] = [];
  readonly variables: Variable[] = [];

  /** A text block to convert; its converted text lands in the part returned. */
  add(text: string, format: Format, field: string): { type: "text"; text: string } {
    const slot = { type: "text" as const, text };
    this.pieces.push({ text, field, format, slot });
    return slot;
  }

  convert(images: string[]): void {
    for (const format of ["f-string", "jinja2"] as const) {
      const group = this.pieces.filter((p) => p.format === format);
      if (!group.length) continue;
      let converted;
      try {
        converted = fromForeignTemplates(group, format);
      } catch (e) {
        if (e instanceof FormatRefusal) throw refusalError(e, `PromptLayer ${format}`);
        throw e;
      }
      group.forEach((p, i) => (p.slot.text = converted.templates[i]!));
      for (const v of converted.variables) if (!this.has(v.name)) this.variables.push(v);
    }
    for (const name of images) if (!this.has(name)) this.variables.push({ name, type: "image", required: true });
  }

  private has = (name: string) => this.variables.some((v) => v.name === name);
}

/** A content block as a message part: text (converted later), an image URL, or a media variable (an image variable). */
function partOf(texts: Texts, block: Record<string, unknown>, format: Format, field: string): Part {
  if (block.type === "text" && typeof block.text === "string") return texts.add(block.text, format, field);
  const url = (block.image_url as { url?: unknown } | undefined)?.url;
  if (block.type === "image_url" && typeof url === "string") return { type: "image", url };
  if (block.type === "media_variable" && typeof block.name === "string") return { type: "image", variable: block.name };
  throw refuse(
    field,
    `a ${String(block.type)} block has no place in a Lectern version (text, image_url and media_variable do)`,
  );
}

function entryOf(texts: Texts, m: PlMessageInput, i: number): Entry {
  const field = `prompt_template.messages[${i}]`;
  if (m.role === "placeholder") {
    if (!m.name) throw refuse(field, "a placeholder message needs a name");
    return { type: "placeholder", name: m.name };
  }
  if (!lecternRoles.has(m.role))
    throw refuse(field, `role ${m.role}: Lectern's messages are ${[...lecternRoles].join(", ")} or a placeholder`);
  if (m.tool_calls?.length || (m.function_call !== undefined && m.function_call !== null))
    throw refuse(field, "a message's tool calls have no place in a Lectern version (tools go in the model settings)");
  const format = m.template_format ?? "f-string";
  const parts = (m.content ?? []).map((b, j) => partOf(texts, b, format, `${field}.content[${j}]`));
  return { role: m.role, content: parts };
}

/** A message of text blocks only is one string (Lectern's usual shape); with images it keeps its parts. */
const joined = (e: Entry): Entry =>
  "type" in e || typeof e.content === "string" || e.content.some((p) => p.type !== "text")
    ? e
    : { role: e.role, content: e.content.map((p) => (p as { text: string }).text).join("") };

const imageVariables = (entries: Entry[]) =>
  entries.flatMap((e) =>
    "type" in e || typeof e.content === "string"
      ? []
      : e.content.flatMap((p) => (p.type === "image" && "variable" in p ? [p.variable] : [])),
  );

/** Lectern content (unparsed: the registry parses it) from a PromptLayer template and its Metadata.model. */
export function contentFromPl(
  pt: PlPromptTemplateInput,
  model: Parameters<typeof configFromPl>[0],
): Record<string, unknown> {
  const texts = new Texts();
  if (pt.type === "completion") {
    const format = pt.template_format ?? "f-string";
    const parts = pt.content.map((b, j) => partOf(texts, b, format, `prompt_template.content[${j}]`));
    if (parts.some((p) => p.type !== "text"))
      throw refuse("prompt_template.content", "a completion template holds text only in Lectern");
    texts.convert([]);
    const template = parts.map((p) => (p as { text: string }).text).join("");
    return { type: "text", template, variables: texts.variables, config: configFromPl(model) };
  }
  if (pt.functions?.length || (pt.function_call !== undefined && pt.function_call !== null))
    throw refuse("prompt_template.functions", "legacy functions have no place in a Lectern version: use tools");
  const entries = pt.messages.map((m, i) => entryOf(texts, m, i));
  texts.convert(imageVariables(entries));
  return {
    type: "chat",
    template: entries.map(joined),
    variables: texts.variables,
    config: configFromPl(model, { tools: pt.tools, tool_choice: pt.tool_choice }),
  };
}
