// A streamed model answer read part by part (call-model.ts): its text (cut at MAX_ANSWER_CHARS), tool calls,
// time to first token, finish reason and usage; its JSON parsed at the end when the request asked for JSON.
import type { TextStreamPart, ToolSet } from "ai";
import type { FinishReason, ModelRequest, ToolCall } from "./types";

export interface Answer {
  text: string;
  object?: unknown;
  toolCalls?: ToolCall[];
  finishReason: FinishReason;
  usage: { inputTokens?: number; outputTokens?: number };
  model?: string;
  ttftMs?: number;
  /** invalid_output: the call worked but the JSON did not; kept apart so the text and tokens survive. */
  outputError?: string;
  /** The answer was longer than MAX_ANSWER_CHARS and was cut there. */
  truncated?: boolean;
}

/**
 * The longest answer text kept, in characters: a model that never stops (or an endpoint that sends
 * 200 MB) must not grow the process without bound, and every stored output and page shows it.
 */
export const MAX_ANSWER_CHARS = 1_000_000;

export const wantsJson = (r: ModelRequest) => r.responseFormat?.type === "json";

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

export const toToolCall = (c: { toolCallId: string; toolName: string; input: unknown }): ToolCall => ({
  id: c.toolCallId,
  name: c.toolName,
  input: c.input,
});

/** The stream's parts as one answer; `elapsed` is the time since the attempt started (ttftMs). */
export async function readStream(
  stream: AsyncIterable<TextStreamPart<ToolSet>>,
  request: ModelRequest,
  signal: AbortSignal,
  elapsed: () => number,
): Promise<Answer> {
  const answer: Answer = { text: "", finishReason: "other", usage: {} };
  const calls: ToolCall[] = [];
  for await (const part of stream) {
    switch (part.type) {
      case "text-delta":
      case "reasoning-delta":
      case "tool-input-start":
        answer.ttftMs ??= elapsed();
        if (part.type === "text-delta") {
          answer.text += part.text;
          // Cut, not refused: what arrived is kept and the rest is not read (the stream is dropped).
          if (answer.text.length > MAX_ANSWER_CHARS) {
            answer.text = answer.text.slice(0, MAX_ANSWER_CHARS);
            answer.finishReason = "length";
            answer.truncated = true;
            return answer;
          }
        }
        break;
      case "tool-call":
        answer.ttftMs ??= elapsed();
        calls.push(toToolCall(part));
        break;
      case "finish-step":
        answer.model = part.response.modelId;
        break;
      case "finish":
        answer.finishReason = part.finishReason;
        answer.usage = part.totalUsage;
        break;
      case "error":
        throw part.error;
      case "abort":
        throw signal.reason ?? new Error("aborted");
    }
  }
  if (calls.length > 0) answer.toolCalls = calls;
  // Parsed here rather than through result.output, which would reject (unhandled) on bad JSON.
  if (wantsJson(request) && answer.finishReason !== "tool-calls") {
    const parsed = parseJson(answer.text);
    if (parsed.ok) answer.object = parsed.value;
    else answer.outputError = parsed.error;
  }
  return answer;
}
