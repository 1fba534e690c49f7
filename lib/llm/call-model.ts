// One model call through the AI SDK, with Lectern's own retries, timeout and concurrency limit (the
// SDK's built-in retries are switched off: they cannot use an injected clock and would retry inside
// our timeout). The result always carries tokens, cost, latency and, on failure, a classified error;
// only a malformed request (a programming error) throws.
import {
  embedMany,
  generateText,
  jsonSchema,
  NoObjectGeneratedError,
  Output,
  streamText,
  tool,
  type ToolSet,
} from "ai";
import { AppError } from "../errors";
import { findUnsafeValue } from "../input-safety";
import { withRetries, type ModelCaller } from "./model-caller";
import { prepareMessages } from "./model-messages";
import { costOf } from "./pricing";
import { MAX_ANSWER_CHARS, readStream, toToolCall, wantsJson, type Answer } from "./model-stream";
import type {
  CallError,
  EmbedRequest,
  EmbedResult,
  ModelRequest,
  ModelResult,
  ResponseFormat,
  TokenUsage,
  ToolDefinition,
} from "./types";

export { MAX_ANSWER_CHARS } from "./model-stream";

/** An answer's JSON nested deeper than every other stored value may be is an invalid output. */
function tooDeep(value: unknown): string | undefined {
  return findUnsafeValue(value, "output")?.message;
}

function toSdkTools(tools: ToolDefinition[] | undefined): ToolSet | undefined {
  if (!tools || tools.length === 0) return undefined;
  // No execute function: the model's tool calls come back to us instead of running anything.
  return Object.fromEntries(
    tools.map((t) => [t.name, tool({ description: t.description, inputSchema: jsonSchema(t.parameters) })]),
  );
}

function toOutput(format: ResponseFormat | undefined) {
  if (!format || format.type === "text") return undefined;
  const meta = {
    ...(format.name && { name: format.name }),
    ...(format.description && { description: format.description }),
  };
  return format.schema ? Output.object({ schema: jsonSchema(format.schema), ...meta }) : Output.json(meta);
}

const free = (caller: ModelCaller) => caller.connection.provider === "scripted";

/** A failed call's result; the timings are the caller's to fill in. */
const failed = (request: ModelRequest, error: CallError): ModelResult => ({
  text: "",
  finishReason: "error",
  usage: { inputTokens: 0, outputTokens: 0 },
  usageReported: false,
  costUsd: null,
  model: request.model,
  latencyMs: 0,
  totalMs: 0,
  attempts: 0,
  error,
});

/**
 * Calls the model. Never throws for provider, network or timeout failures: they come back in
 * `error` after the retries allowed by the connection. Throws AppError invalid_input only when the
 * request itself is malformed (no model, no messages).
 */
export async function callModel(caller: ModelCaller, request: ModelRequest): Promise<ModelResult> {
  if (!request.model) throw new AppError("invalid_input", "request.model is required", { field: "model" });
  if (request.prompt === undefined && !request.messages?.some((m) => m.role !== "system")) {
    throw new AppError("invalid_input", "request needs at least one user or assistant message (messages or prompt)", {
      field: "messages",
    });
  }
  const startedAt = caller.clock.now();
  const prepared = prepareMessages(request, caller.images);
  const messages = prepared instanceof Promise ? await prepared : prepared;
  // An image that cannot be sent fails the call before any attempt (attempts: 0).
  if (!Array.isArray(messages)) return { ...failed(request, messages), totalMs: caller.clock.now() - startedAt };
  const settings = {
    model: caller.languageModel(request.model),
    messages,
    // System messages here are the managed prompt's own (its author wrote them, a reviewer approved
    // them), not text from an end user; without this the SDK logs a warning on every call.
    allowSystemInMessages: true,
    temperature: request.temperature,
    maxOutputTokens: request.maxTokens,
    topP: request.topP,
    stopSequences: request.stop,
    seed: request.seed,
    tools: toSdkTools(request.tools),
    output: toOutput(request.responseFormat),
    maxRetries: 0,
  };

  const outcome = await withRetries(caller, request, async (signal, startedAt): Promise<Answer> => {
    if (!request.stream) {
      try {
        const r = await generateText({ ...settings, abortSignal: signal });
        return {
          text: r.text,
          ...(wantsJson(request) && r.finishReason !== "tool-calls" && { object: r.output }),
          ...(r.toolCalls.length > 0 && { toolCalls: r.toolCalls.map(toToolCall) }),
          finishReason: r.finishReason,
          usage: r.usage,
          model: r.response.modelId,
        };
      } catch (e) {
        if (!NoObjectGeneratedError.isInstance(e)) throw e;
        return {
          text: e.text ?? "",
          finishReason: e.finishReason ?? "other",
          usage: e.usage ?? {},
          model: e.response?.modelId,
          outputError: e.cause instanceof Error ? e.cause.message : e.message,
        };
      }
    }
    const r = streamText({ ...settings, abortSignal: signal, onError: () => {} });
    return readStream(r.fullStream, request, signal, () => caller.clock.now() - startedAt);
  });

  return resultOf(caller, request, outcome);
}

/** The call's result from its last attempt: the answer cut to size, its JSON checked, its tokens priced. */
function resultOf(
  caller: ModelCaller,
  request: ModelRequest,
  outcome: Awaited<ReturnType<typeof withRetries<Answer>>>,
): ModelResult {
  const base = { latencyMs: outcome.latencyMs, totalMs: outcome.totalMs, attempts: outcome.attempts };
  const a = outcome.value;
  if (!a) {
    const { retryAfterMs: _ignored, ...error } = outcome.error!;
    return { ...failed(request, error), ...base };
  }
  if (a.text.length > MAX_ANSWER_CHARS) {
    a.text = a.text.slice(0, MAX_ANSWER_CHARS);
    a.finishReason = "length";
    a.truncated = true;
  }
  if (a.truncated && wantsJson(request)) {
    delete a.object;
    a.outputError ??= `the answer was cut at ${MAX_ANSWER_CHARS} characters`;
  }
  const deep = a.object !== undefined ? tooDeep(a.object) : undefined;
  if (deep) {
    delete a.object;
    a.outputError ??= deep;
  }
  const usageReported = a.usage.inputTokens != null || a.usage.outputTokens != null;
  const usage: TokenUsage = { inputTokens: a.usage.inputTokens ?? 0, outputTokens: a.usage.outputTokens ?? 0 };
  const model = a.model || request.model;
  return {
    text: a.text,
    ...(a.object !== undefined && { object: a.object }),
    ...(a.toolCalls && { toolCalls: a.toolCalls }),
    finishReason: a.finishReason,
    usage,
    usageReported,
    // Priced by the requested id when the answered id (often dated) is unknown, and vice versa. The
    // built-in scripted model bills nobody: its calls cost nothing, whatever model name they carry.
    costUsd: free(caller)
      ? 0
      : usageReported
        ? (costOf(model, usage, caller.prices) ?? costOf(request.model, usage, caller.prices))
        : null,
    model,
    ...base,
    ...(a.ttftMs !== undefined && { ttftMs: a.ttftMs }),
    ...(a.truncated && { truncated: true }),
    ...(a.outputError !== undefined && {
      error: {
        kind: "invalid_output",
        message: `The model's answer is not valid JSON: ${a.outputError}`,
        retryable: false,
      },
    }),
  };
}

/** Embeds texts with the connection's embedding model, under the same limits and retries as callModel. */
export async function embedTexts(caller: ModelCaller, request: EmbedRequest): Promise<EmbedResult> {
  const model = caller.embeddingModel(request.model);
  const outcome = await withRetries(caller, request, (signal) =>
    embedMany({ model, values: request.values, maxRetries: 0, abortSignal: signal }),
  );
  const base = {
    latencyMs: outcome.latencyMs,
    totalMs: outcome.totalMs,
    attempts: outcome.attempts,
    model: request.model,
  };
  if (!outcome.value) {
    const { retryAfterMs: _ignored, ...error } = outcome.error!;
    return { embeddings: [], tokens: 0, costUsd: null, ...base, error };
  }
  const tokens = outcome.value.usage.tokens ?? 0;
  return {
    embeddings: outcome.value.embeddings,
    tokens,
    costUsd: free(caller) ? 0 : costOf(request.model, { inputTokens: tokens, outputTokens: 0 }, caller.prices),
    ...base,
  };
}
