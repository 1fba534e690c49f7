// Shared by the format tests: both renderers' answers in one shape, so a test compares what Lectern renders
// with what the dotprompt library renders for the same variables.
import { Dotprompt } from "dotprompt";
import { parseContent, type Content, type ContentInput } from "../content";
import { partialText, renderContent, validateContent } from "../templates/template";
import { thrown } from "../../../test/thrown";
import { FormatRefusal } from "./ir";
import type { PartialLookup } from "./mustache-ir";

export type Rendered = { role: string; parts: ({ text: string } | { media: string })[] }[];
type HistoryMessage = { role: "user" | "assistant"; content: string };

/** Lectern's render: a text prompt is one user message (as the model request sends it). */
export function lecternRender(
  content: Content,
  values: Record<string, unknown>,
  partials: Record<string, Content> = {},
): Rendered {
  const opts = {
    partials: Object.fromEntries(Object.entries(partials).map(([n, c]) => [n, partialText(c)])),
    declared: Object.fromEntries(Object.entries(partials).map(([n, c]) => [n, c.variables])),
  };
  if (content.type === "text")
    return [{ role: "user", parts: [{ text: renderContent(content, values, opts).rendered }] }];
  if (content.type !== "chat") throw new Error(`a ${content.type} prompt has no messages`);
  return renderContent(content, values, opts).rendered.map((m) => ({
    role: m.role,
    parts:
      typeof m.content === "string"
        ? [{ text: m.content }]
        : m.content.map((p) => (p.type === "text" ? { text: p.text } : { media: p.url })),
  }));
}

/** The library's render; `history` is given as Dotprompt's data.messages. */
export async function libraryRender(
  source: string,
  values: Record<string, unknown>,
  opts: { partials?: Record<string, string>; history?: HistoryMessage[] } = {},
): Promise<{ messages: Rendered; model?: string; config: unknown }> {
  const dp = new Dotprompt({ partials: opts.partials });
  // The library applies the defaults its caller passes; Genkit passes the file's own input.default.
  const defaults = (dp.parse(source).input as { default?: Record<string, unknown> } | undefined)?.default;
  const r = await dp.render(
    source,
    {
      input: values,
      ...(opts.history && {
        messages: opts.history.map((m) => ({
          role: m.role === "assistant" ? ("model" as const) : m.role,
          content: [{ text: m.content }],
        })),
      }),
    },
    defaults ? { input: { default: defaults } } : undefined,
  );
  const messages = r.messages.map((m) => ({
    role: m.role === "model" ? "assistant" : m.role,
    parts: m.content.map((p) =>
      "media" in p && p.media ? { media: p.media.url } : { text: (p as { text: string }).text },
    ),
  }));
  return { messages, model: r.model, config: r.config };
}

/** The body of a .prompt file as the library registers it as a partial. */
export const partialBody = (source: string) => new Dotprompt().parse(source).template;

export const lookupIn =
  (partials: Record<string, Content>): PartialLookup =>
  (ref) => {
    const c = partials[ref];
    if (!c) return undefined;
    return c.type === "chat" ? { problem: `${ref} is a chat prompt` } : { text: partialText(c) };
  };

/** Imported content as Lectern saves it: parsed and validated (with the partials' declarations). */
export function saved(input: ContentInput, partials: Record<string, Content> = {}): Content {
  const content = parseContent(input);
  validateContent(content, Object.fromEntries(Object.entries(partials).map(([n, c]) => [n, c.variables])));
  return content;
}

/** The refusal a conversion throws (anything else is rethrown; no refusal fails the test). */
export const refusal = (fn: () => unknown): FormatRefusal => thrown(fn, FormatRefusal);
