// One PromptLayer version (its raw answer) as the importer core's ForeignVersion: a completion's text or a chat's
// messages, in their template_format (a version whose messages mix f-string and jinja2 is converted here, per
// format, and handed over as Lectern's Mustache), its model with its parameters (tools and tool_choice among
// them), commit message and time. What a ForeignVersion cannot carry — a block other than text, a message's
// tool calls, legacy functions — throws, naming it; the reader reports that version as refused.
import { AppError, isAppError } from "../../errors";
import { fromForeignTemplates } from "../../registry/formats/foreign-templates";
import { FormatRefusal } from "../../registry/formats/ir";
import type { ForeignMessage, ForeignVersion } from "../import";
import { plMetadataSchema, plPromptTemplateSchema, type PlMessageInput } from "./shapes";

type Format = "f-string" | "jinja2";
type Answer = {
  prompt_template: unknown;
  metadata?: unknown;
  commit_message?: string | null;
  created_at?: string | null;
};

const refuse = (field: string, message: string) => new AppError("unprocessable", message, { field, construct: field });

/** The text of a message's (or a completion's) blocks; any other block is refused, named. */
function textOf(blocks: { type: string; text?: unknown }[] | null | undefined, field: string): string {
  return (blocks ?? [])
    .map((b, j) => {
      if (b.type === "text" && typeof b.text === "string") return b.text;
      throw refuse(
        `${field}.content[${j}]`,
        `a ${b.type} block: the import carries text messages only (images go through Lectern's API or templates.publish)`,
      );
    })
    .join("");
}

function messageOf(m: PlMessageInput, i: number): ForeignMessage & { format?: Format } {
  const field = `prompt_template.messages[${i}]`;
  if (m.role === "placeholder") {
    if (!m.name) throw refuse(field, "a placeholder message needs a name");
    return { role: "placeholder", name: m.name };
  }
  if (m.tool_calls?.length || (m.function_call !== undefined && m.function_call !== null))
    throw refuse(field, "a message's tool calls have no place in a Lectern version");
  return { role: m.role, content: textOf(m.content as never, field), format: m.template_format ?? "f-string" };
}

/** Messages of several formats, each converted from its own to Lectern's Mustache. */
function asMustache(messages: (ForeignMessage & { format?: Format })[]): ForeignMessage[] {
  const out: ForeignMessage[] = messages.map(({ format: _f, ...m }) => m as ForeignMessage);
  for (const format of ["f-string", "jinja2"] as const) {
    const at = messages.flatMap((m, i) => (m.format === format && "content" in m ? [i] : []));
    if (!at.length) continue;
    const pieces = at.map((i) => ({
      text: (messages[i] as { content: string }).content,
      field: `template.messages[${i}]`,
    }));
    const { templates } = fromForeignTemplates(pieces, format);
    at.forEach((i, k) => ((out[i] as { content: string }).content = templates[k]!));
  }
  return out;
}

function contentOf(pt: unknown): Pick<ForeignVersion, "format" | "content"> & { extras: Record<string, unknown> } {
  const parsed = plPromptTemplateSchema.safeParse(pt);
  if (!parsed.success) throw refuse("prompt_template", "not a PromptLayer chat or completion template");
  const t = parsed.data;
  if (t.type === "completion")
    return {
      format: t.template_format ?? "f-string",
      content: { type: "text", template: textOf(t.content as never, "prompt_template") },
      extras: {},
    };
  if (t.functions?.length || (t.function_call !== undefined && t.function_call !== null))
    throw refuse("prompt_template.functions", "legacy functions have no place in a Lectern version: use tools");
  const messages = t.messages.map(messageOf);
  const formats = new Set(messages.flatMap((m) => (m.format ? [m.format] : [])));
  const extras = {
    ...(t.tools?.length ? { tools: t.tools } : {}),
    ...(t.tool_choice !== undefined && t.tool_choice !== null ? { tool_choice: t.tool_choice } : {}),
  };
  if (formats.size > 1)
    return { format: "mustache", content: { type: "chat", messages: asMustache(messages) }, extras };
  const plain = messages.map(({ format: _f, ...m }) => m as ForeignMessage);
  return { format: [...formats][0] ?? "f-string", content: { type: "chat", messages: plain }, extras };
}

/** A version's raw answer as a ForeignVersion (without its sourceId and labels). */
export function plVersionContent(a: Answer): Omit<ForeignVersion, "sourceId" | "labels"> {
  const { format, content, extras } = contentOf(a.prompt_template);
  const model = plMetadataSchema.safeParse(a.metadata).data?.model;
  const parameters = { ...(model?.parameters ?? {}), ...extras };
  return {
    format,
    content,
    ...(model?.name || Object.keys(parameters).length
      ? {
          model: {
            ...(model?.provider ? { provider: model.provider } : {}),
            ...(model?.name ? { name: model.name } : {}),
            parameters,
          },
        }
      : {}),
    ...(a.commit_message ? { message: a.commit_message } : {}),
    ...(a.created_at && !Number.isNaN(Date.parse(a.created_at)) ? { createdAt: a.created_at } : {}),
  };
}

/** Why a version was not handed over: a template construct, or what the version holds that cannot be carried. */
export function pieceRefusal(e: unknown): { reason: string; field?: string; construct?: string } {
  if (e instanceof FormatRefusal)
    return { reason: `${e.field ? `${e.field}: ` : ""}${e.message}`, field: e.field, construct: e.construct };
  if (isAppError(e)) {
    const field = typeof e.details?.field === "string" ? e.details.field : undefined;
    return { reason: `${field ? `${field}: ` : ""}${e.message}`, ...(field ? { field, construct: field } : {}) };
  }
  throw e;
}
