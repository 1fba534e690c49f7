// Anthropic wire format: /v1/messages (JSON and SSE events), enough for @ai-sdk/anthropic, including
// its two structured-output modes: `output_config.format` (native) and the forced "json" tool.
import type { Answer } from "./answer";
import { anthropicImage, imageMarker, type ReceivedImage } from "./images";

type Block = { type?: string; text?: string; content?: unknown; source?: unknown };
type MessagesBody = {
  model?: string;
  system?: string | Block[];
  messages?: Array<{ role?: string; content?: string | Block[] }>;
  stream?: boolean;
  output_config?: { format?: { type?: string; schema?: unknown } };
  tools?: Array<{ name?: string; input_schema?: unknown }>;
  tool_choice?: { type?: string; name?: string };
};

/** A content's text; an image block reads as its marker (see images.ts), recorded in `images`. */
function textOf(content: string | Block[] | undefined, message = -1, images: ReceivedImage[] = []): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((b, j) => {
      if (b.type !== "image") return b.text ?? "";
      const image = anthropicImage(message, j, b.source);
      images.push(image);
      return imageMarker(image);
    })
    .join("");
}

export function parseMessagesRequest(raw: unknown) {
  const body = (raw ?? {}) as MessagesBody;
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const images: ReceivedImage[] = [];
  const texts = messages.map((m, i) => textOf(m.content, i, images));
  const users = messages.flatMap((m, i) => (m.role === "user" ? [i] : []));
  const format = body.output_config?.format;
  const jsonTool =
    body.tool_choice?.type === "tool" && body.tool_choice.name === "json"
      ? body.tools?.find((t) => t.name === "json")
      : undefined;
  return {
    model: String(body.model ?? ""),
    prompt: [textOf(body.system), ...texts].filter((t) => t !== "").join("\n"),
    lastUser: users.length ? texts[users[users.length - 1]!]! : "",
    images,
    stream: body.stream === true,
    json:
      format?.type === "json_schema"
        ? { schema: format.schema }
        : jsonTool
          ? { schema: jsonTool.input_schema }
          : undefined,
    /** The SDK asked for JSON through a forced tool named "json": answer with that tool's input. */
    jsonTool: jsonTool !== undefined,
  };
}

function blocks(a: Answer, jsonTool: boolean): Array<Record<string, unknown>> {
  if (jsonTool) {
    let input: unknown;
    try {
      input = JSON.parse(a.text);
    } catch {
      return [{ type: "text", text: a.text }];
    }
    return [{ type: "tool_use", id: `toolu_json_${a.id}`, name: "json", input }];
  }
  const out: Array<Record<string, unknown>> = [];
  if (a.text !== "" || a.toolCalls.length === 0) out.push({ type: "text", text: a.text });
  for (const c of a.toolCalls) out.push({ type: "tool_use", id: c.id, name: c.name, input: c.arguments ?? {} });
  return out;
}

function stopReason(a: Answer, content: Array<Record<string, unknown>>): string {
  if (content.some((b) => b.type === "tool_use")) return "tool_use";
  return a.finishReason === "length" ? "max_tokens" : "end_turn";
}

export function message(a: Answer, jsonTool: boolean) {
  const content = blocks(a, jsonTool);
  return {
    id: a.id,
    type: "message",
    role: "assistant",
    model: a.model,
    content,
    stop_reason: stopReason(a, content),
    stop_sequence: null,
    usage: { input_tokens: a.inputTokens, output_tokens: a.outputTokens },
  };
}

/** SSE events in order: message_start, one block at a time (text word by word), message_delta, message_stop. */
export function messageEvents(a: Answer, jsonTool: boolean): Array<{ event: string; data: unknown }> {
  const content = blocks(a, jsonTool);
  const events: Array<{ event: string; data: unknown }> = [
    {
      event: "message_start",
      data: {
        type: "message_start",
        message: {
          id: a.id,
          type: "message",
          role: "assistant",
          model: a.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: a.inputTokens, output_tokens: 1 },
        },
      },
    },
  ];
  content.forEach((block, index) => {
    if (block.type === "text") {
      events.push({
        event: "content_block_start",
        data: { type: "content_block_start", index, content_block: { type: "text", text: "" } },
      });
      for (const piece of String(block.text).match(/\s*\S+\s*/g) ?? []) {
        events.push({
          event: "content_block_delta",
          data: { type: "content_block_delta", index, delta: { type: "text_delta", text: piece } },
        });
      }
    } else {
      events.push({
        event: "content_block_start",
        data: {
          type: "content_block_start",
          index,
          content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
        },
      });
      events.push({
        event: "content_block_delta",
        data: {
          type: "content_block_delta",
          index,
          delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) },
        },
      });
    }
    events.push({ event: "content_block_stop", data: { type: "content_block_stop", index } });
  });
  events.push({
    event: "message_delta",
    data: {
      type: "message_delta",
      delta: { stop_reason: stopReason(a, content), stop_sequence: null },
      usage: { output_tokens: a.outputTokens },
    },
  });
  events.push({ event: "message_stop", data: { type: "message_stop" } });
  return events;
}

const errorTypes: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  429: "rate_limit_error",
  529: "overloaded_error",
};

export function anthropicError(status: number, message: string) {
  return {
    type: "error",
    error: { type: errorTypes[status] ?? (status >= 500 ? "api_error" : "invalid_request_error"), message },
  };
}
