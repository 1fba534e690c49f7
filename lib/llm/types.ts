// The provider-neutral request and result of one model call. Kept free of AI SDK types so the rest of
// Lectern (runs, playground, online evaluation) can store and display them without importing `ai`.

/** A JSON Schema object, as written by users in a version's config or a scorer spec. */
export type JsonSchema = Record<string, unknown>;

/**
 * One part of a message. An image is an https: URL or a data:image/…;base64 URL; callModel fetches or
 * decodes it itself (through the SSRF-safe fetch, with size and type checks) and sends the provider
 * bytes, so no provider client ever fetches a URL on Lectern's behalf.
 */
export type ModelContentPart = { type: "text"; text: string } | { type: "image"; url: string };

export interface ModelMessage {
  role: "system" | "user" | "assistant";
  /** Images are sent in user messages only: a system or assistant message with one fails the call. */
  content: string | ModelContentPart[];
}

/** A function the model may call. Lectern never executes tools: calls come back in `toolCalls`. */
export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments; `{ type: "object" }` when the tool takes none. */
  parameters: JsonSchema;
}

export type ResponseFormat =
  | { type: "text" }
  /** JSON output; with a schema, providers that support it constrain decoding to that schema. */
  | { type: "json"; schema?: JsonSchema; name?: string; description?: string };

export interface ModelRequest {
  model: string;
  /** Either messages or prompt (one user message); both may be combined with system. */
  messages?: ModelMessage[];
  prompt?: string;
  system?: string;
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  stop?: string[];
  seed?: number;
  tools?: ToolDefinition[];
  responseFormat?: ResponseFormat;
  /** Stream the answer; the result then carries ttftMs (time to first text or tool token). */
  stream?: boolean;
  /** Overrides the connection's per-attempt timeout. */
  timeoutMs?: number;
  abortSignal?: AbortSignal;
}

export interface ToolCall {
  id: string;
  name: string;
  /** Parsed arguments as the provider returned them. */
  input: unknown;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/**
 * Why a call failed. `retryable` says whether callModel would retry this kind (429, 5xx, timeouts and
 * dropped connections); by the time a result carries an error, the retries are already spent.
 */
export type CallErrorKind =
  | "rate_limited" // 429
  | "server_error" // 5xx
  | "timeout" // the connection's or request's timeoutMs elapsed
  | "network" // connection refused or reset before an HTTP answer
  | "auth" // 401, 403
  | "bad_request" // other 4xx: unknown model, invalid parameters, context too long
  | "invalid_response" // an HTTP 2xx whose body the provider client could not parse
  | "invalid_output" // the model answered, but not with the JSON its responseFormat asked for
  | "aborted" // the caller's abortSignal fired
  | "refused" // Lectern refused: a private address, a redirect, an answer over the size cap
  | "unknown";

export interface CallError {
  kind: CallErrorKind;
  message: string;
  /** HTTP status, when the provider answered. */
  status?: number;
  retryable: boolean;
}

export type FinishReason = "stop" | "length" | "content-filter" | "tool-calls" | "error" | "other";

export interface ModelResult {
  /** The answer's text; "" when the call failed (except invalid_output, which keeps the raw text). */
  text: string;
  /** The parsed answer when responseFormat asked for JSON and the text parsed. */
  object?: unknown;
  toolCalls?: ToolCall[];
  finishReason: FinishReason;
  /** The answer was longer than Lectern keeps (MAX_ANSWER_CHARS) and was cut there. */
  truncated?: boolean;
  /** Tokens of the successful attempt; 0 when the provider did not report them (see usageReported). */
  usage: TokenUsage;
  usageReported: boolean;
  /** null when the model has no known price or the provider reported no usage. */
  costUsd: number | null;
  /** Duration of the last attempt, from request to the end of the answer. */
  latencyMs: number;
  /** Streaming only: from the start of the last attempt to its first text or tool-call token. */
  ttftMs?: number;
  /** From callModel's start to its end: waiting for a concurrency slot, every attempt, every backoff. */
  totalMs: number;
  /** 1 + the number of retries made. */
  attempts: number;
  /** The model the provider says answered, else the requested one. */
  model: string;
  error?: CallError;
}

export interface EmbedRequest {
  model: string;
  values: string[];
  timeoutMs?: number;
  abortSignal?: AbortSignal;
}

export interface EmbedResult {
  /** One vector per value, in order; [] when the call failed. */
  embeddings: number[][];
  tokens: number;
  costUsd: number | null;
  latencyMs: number;
  totalMs: number;
  attempts: number;
  model: string;
  error?: CallError;
}
