// OpenAI wire format: /v1/chat/completions (JSON and SSE) and /v1/embeddings, enough for
// @ai-sdk/openai's chat model and @ai-sdk/openai-compatible.
import type { Answer } from "./answer";
import { imageMarker, openAIImage, type ReceivedImage } from "./images";

type Part = { type?: string; text?: string; image_url?: { url?: string } | string };
type ChatBody = {
  model?: string;
  messages?: Array<{ role?: string; content?: string | Part[] | null }>;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  response_format?: { type?: string; json_schema?: { schema?: unknown } };
};

/** The images of every message, in order (image_url parts: `{url}`, or a bare string from older clients). */
function imagesOf(messages: NonNullable<ChatBody["messages"]>): ReceivedImage[] {
  return messages.flatMap((m, i) =>
    Array.isArray(m.content)
      ? m.content.flatMap((p, j) =>
          p.type === "image_url"
            ? [openAIImage(i, j, typeof p.image_url === "string" ? p.image_url : String(p.image_url?.url ?? ""))]
            : [],
        )
      : [],
  );
}

/** A content's text; an image part reads as its marker (see images.ts). */
const textOf = (content: string | Part[] | null | undefined, images: ReceivedImage[] = []): string =>
  typeof content === "string"
    ? content
    : Array.isArray(content)
      ? content
          .map((p, j) => {
            const image = p.type === "image_url" ? images.find((i) => i.part === j) : undefined;
            return image ? imageMarker(image) : (p.text ?? "");
          })
          .join("")
      : "";

export function parseChatRequest(raw: unknown) {
  const body = (raw ?? {}) as ChatBody;
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const images = imagesOf(messages);
  const text = (i: number) =>
    textOf(
      messages[i]?.content,
      images.filter((im) => im.message === i),
    );
  const users = messages.flatMap((m, i) => (m.role === "user" ? [i] : []));
  const rf = body.response_format;
  return {
    model: String(body.model ?? ""),
    prompt: messages.map((_, i) => text(i)).join("\n"),
    lastUser: users.length ? text(users[users.length - 1]!) : "",
    images,
    stream: body.stream === true,
    includeUsage: body.stream_options?.include_usage === true,
    json: rf?.type === "json_schema" ? { schema: rf.json_schema?.schema } : rf?.type === "json_object" ? {} : undefined,
  };
}

const finish = (a: Answer) => (a.toolCalls.length > 0 ? "tool_calls" : a.finishReason);
const usage = (a: Answer) => ({
  prompt_tokens: a.inputTokens,
  completion_tokens: a.outputTokens,
  total_tokens: a.inputTokens + a.outputTokens,
});
const toolCalls = (a: Answer) =>
  a.toolCalls.map((c) => ({
    id: c.id,
    type: "function",
    function: { name: c.name, arguments: JSON.stringify(c.arguments ?? {}) },
  }));

export function chatCompletion(a: Answer) {
  return {
    id: a.id,
    object: "chat.completion",
    created: a.created,
    model: a.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: a.toolCalls.length > 0 && a.text === "" ? null : a.text,
          ...(a.toolCalls.length > 0 && { tool_calls: toolCalls(a) }),
        },
        finish_reason: finish(a),
      },
    ],
    usage: usage(a),
  };
}

/** SSE `data:` payloads in order, ending with [DONE]; text is sent word by word. */
export function chatCompletionChunks(a: Answer, includeUsage: boolean): string[] {
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    JSON.stringify({
      id: a.id,
      object: "chat.completion.chunk",
      created: a.created,
      model: a.model,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    });
  const out = [chunk({ role: "assistant", content: "" })];
  for (const piece of a.text.match(/\s*\S+\s*/g) ?? []) out.push(chunk({ content: piece }));
  toolCalls(a).forEach((c, index) => out.push(chunk({ tool_calls: [{ index, ...c }] })));
  out.push(chunk({}, finish(a)));
  if (includeUsage) {
    out.push(
      JSON.stringify({
        id: a.id,
        object: "chat.completion.chunk",
        created: a.created,
        model: a.model,
        choices: [],
        usage: usage(a),
      }),
    );
  }
  out.push("[DONE]");
  return out;
}

export function parseEmbeddingsRequest(raw: unknown) {
  const body = (raw ?? {}) as { model?: string; input?: string | string[]; dimensions?: number };
  const inputs = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? "")];
  return {
    model: String(body.model ?? ""),
    inputs,
    dimensions: typeof body.dimensions === "number" ? body.dimensions : undefined,
  };
}

export function embeddingsResponse(model: string, vectors: number[][], tokens: number) {
  return {
    object: "list",
    data: vectors.map((embedding, index) => ({ object: "embedding", index, embedding })),
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

const errorTypes: Record<number, string> = {
  400: "invalid_request_error",
  401: "invalid_api_key",
  404: "not_found_error",
  429: "rate_limit_exceeded",
};

export function openAIError(status: number, message: string) {
  return {
    error: {
      message,
      type: errorTypes[status] ?? (status >= 500 ? "server_error" : "invalid_request_error"),
      code: null,
      param: null,
    },
  };
}
