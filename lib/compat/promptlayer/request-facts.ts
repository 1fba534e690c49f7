// What a PromptLayer request log says about the generation, as a Lectern generation event takes it: latency,
// tokens, cost, model, the output text and what the application sent (the variables used, else the messages).
// Pure. The output and input are kept only within the generation event's own bounds (lib/experiments'
// metric-events.ts); beyond them the generation is still recorded, without the text.
import { AppError } from "../../errors";
import { eventNumberLimits } from "../../experiments/metric-events";
import type { PlLogBody, PlTrackRequestBody } from "./request-shapes";

export type RequestFacts = {
  latencyMs: number;
  inputTokens?: number;
  outputTokens?: number;
  /** The price the client sent; otherwise Lectern's price table prices the tokens when recording. */
  costUsd?: number;
  model?: string;
  output?: string;
  input?: unknown;
  metadata: Record<string, string>;
  tags: string[];
  status: string;
  error?: string;
  /** Scores sent before the request was tied to a prompt version: recorded with it. */
  scores: { name: string; value: number }[];
};

const maxOutputChars = 200_000;
const maxInputChars = 200_000;

/** A time in ms: ISO 8601, or a Unix time (seconds when below 10^11, else milliseconds). */
function timeMs(v: string | number, field: string): number {
  const ms = typeof v === "number" ? (Math.abs(v) < 1e11 ? v * 1000 : v) : Date.parse(v);
  if (!Number.isFinite(ms))
    throw new AppError("invalid_input", `${field} must be an ISO 8601 time or a Unix time`, { field });
  return ms;
}

function latencyOf(start: string | number, end: string | number): number {
  const ms = timeMs(end, "request_end_time") - timeMs(start, "request_start_time");
  if (ms < 0 || ms > eventNumberLimits.latencyMs)
    throw new AppError("invalid_input", "request_end_time must be after request_start_time, within a day of it", {
      field: "request_end_time",
    });
  return Math.round(ms * 1000) / 1000;
}

const asRecord = (v: unknown): Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** Text blocks ({type: "text", text}, or OpenAI Responses' output_text) joined. */
const blockText = (blocks: unknown): string =>
  typeof blocks === "string"
    ? blocks
    : Array.isArray(blocks)
      ? blocks
          .map((b) => asRecord(b))
          .filter((b) => (b.type === "text" || b.type === "output_text") && typeof b.text === "string")
          .map((b) => b.text as string)
          .join("")
      : "";

/**
 * The output text: of a PromptLayer template (log-request's `output`: its last message, or a completion's text), or
 * of a provider's answer (OpenAI chat and completions, OpenAI Responses, Anthropic Messages).
 */
export function outputText(value: unknown): string | undefined {
  const v = asRecord(value);
  if (v.type === "chat" && Array.isArray(v.messages)) return blockText(asRecord(v.messages.at(-1)).content);
  if (v.type === "completion") return blockText(v.content);
  const choice = asRecord(Array.isArray(v.choices) ? v.choices[0] : undefined);
  if (typeof choice.text === "string") return choice.text;
  const message = asRecord(choice.message);
  if (typeof message.content === "string") return message.content;
  if (typeof v.output_text === "string") return v.output_text;
  if (Array.isArray(v.output)) return v.output.map((o) => blockText(asRecord(o).content)).join("");
  if (Array.isArray(v.content)) return blockText(v.content);
  return undefined;
}

/** Token counts of a provider's answer: OpenAI's prompt/completion tokens or Anthropic's and Responses' input/output. */
function usageOf(response: unknown): { inputTokens?: number; outputTokens?: number } {
  const u = asRecord(asRecord(response).usage);
  const n = (x: unknown) => (typeof x === "number" && Number.isInteger(x) && x >= 0 ? x : undefined);
  return { inputTokens: n(u.prompt_tokens ?? u.input_tokens), outputTokens: n(u.completion_tokens ?? u.output_tokens) };
}

const within = (text: string | undefined) => (text !== undefined && text.length <= maxOutputChars ? text : undefined);
function inputOf(variables: Record<string, unknown> | null | undefined, messages: unknown): unknown {
  const input = variables && Object.keys(variables).length ? variables : messages;
  if (input === undefined || input === null) return undefined;
  const json = JSON.stringify(input);
  return json !== undefined && json.length <= maxInputChars ? input : undefined;
}

const common = (b: PlLogBody | PlTrackRequestBody) => ({
  latencyMs: latencyOf(b.request_start_time, b.request_end_time),
  metadata: b.metadata ?? {},
  tags: b.tags ?? [],
  status: b.status ?? "SUCCESS",
  ...(b.error_message ? { error: `${b.error_type ?? "ERROR"}: ${b.error_message}` } : {}),
});

/** The facts of a logRequest (its tokens and price as sent). */
export function factsFromLog(b: PlLogBody): RequestFacts {
  const price = b.price ?? 0;
  return {
    ...common(b),
    model: b.model,
    ...(b.input_tokens ? { inputTokens: b.input_tokens } : {}),
    ...(b.output_tokens ? { outputTokens: b.output_tokens } : {}),
    ...(price > 0 ? { costUsd: Math.min(price, eventNumberLimits.costUsd) } : {}),
    output: within(outputText(b.output)),
    input: inputOf(b.prompt_input_variables, b.input),
    scores: b.score ? [{ name: "default", value: b.score }] : [],
  };
}

/** The facts of a track-request: the provider's own answer, as the client's SDK returned it. */
export function factsFromTrack(b: PlTrackRequestBody): RequestFacts {
  const kwargs = b.kwargs ?? {};
  const response = asRecord(b.request_response);
  const model =
    typeof response.model === "string" ? response.model : typeof kwargs.model === "string" ? kwargs.model : undefined;
  return {
    ...common(b),
    ...(model ? { model: model.slice(0, 200) } : {}),
    ...usageOf(response),
    output: within(outputText(response)),
    input: inputOf(b.prompt_input_variables, kwargs.messages ?? kwargs.input ?? kwargs.prompt),
    scores: [],
  };
}
