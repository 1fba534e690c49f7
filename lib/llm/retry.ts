// Pure retry decisions: which failures are worth another attempt, and how long to wait before it.
// Retried: 429, 5xx, timeouts and dropped connections, which are transient on every provider we know.
// Never retried: other 4xx (a bad key or an invalid request fails the same way every time) and
// answers that arrived but could not be used.
import { APICallError, NoObjectGeneratedError } from "ai";
import type { CallError, CallErrorKind } from "./types";

export interface RetryPolicy {
  /** Retries after the first attempt; 0 disables retrying. */
  maxRetries: number;
  /** The first backoff, doubled on every further retry. */
  baseDelayMs: number;
  /** Upper bound of a computed backoff. */
  maxDelayMs: number;
  /**
   * Longest Retry-After we wait for. A provider asking for more is treated as "not now": the call
   * fails with rate_limited instead of holding a concurrency slot for minutes.
   */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: Omit<RetryPolicy, "maxRetries"> = {
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
};

/**
 * Backoff before retry number `retry` (0 for the first retry): exponential, capped, with "equal jitter"
 * (half fixed, half random) so a burst of 429s does not come back in lockstep, yet never waits ~0.
 * `random` returns a number in [0, 1) and is injected so tests are deterministic.
 */
export function backoffDelay(
  retry: number,
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">,
  random: () => number,
): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(exp / 2 + (exp / 2) * random());
}

/**
 * Milliseconds a Retry-After (or OpenAI's retry-after-ms) header asks for, or undefined when absent or
 * unreadable. Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 */
export function parseRetryAfter(
  headers: Record<string, string | undefined> | undefined,
  nowMs: number,
): number | undefined {
  if (!headers) return undefined;
  const get = (name: string) =>
    Object.entries(headers)
      .find(([k]) => k.toLowerCase() === name)?.[1]
      ?.trim();
  const ms = get("retry-after-ms");
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const value = get("retry-after");
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  // Only an HTTP date (it names a weekday and month); Date.parse would read "-1" as the year -1.
  const date = /[a-z]{3}/i.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

export interface ClassifiedError extends CallError {
  /** What the provider's Retry-After asked for, if anything. */
  retryAfterMs?: number;
}

export interface FailureContext {
  /** Our own per-attempt timeout fired. */
  timedOut: boolean;
  /** The caller's abortSignal fired. */
  aborted: boolean;
  nowMs: number;
}

const retryableKinds: ReadonlySet<CallErrorKind> = new Set(["rate_limited", "server_error", "timeout", "network"]);

export const isRetryableKind = (kind: CallErrorKind) => retryableKinds.has(kind);

function kindOfStatus(status: number): CallErrorKind {
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server_error";
  if (status === 401 || status === 403) return "auth";
  if (status >= 400) return "bad_request";
  return "invalid_response";
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Maps whatever the AI SDK (or fetch) threw to a CallError; the caller's context wins over the error's shape. */
export function classifyError(error: unknown, ctx: FailureContext): ClassifiedError {
  const make = (kind: CallErrorKind, message: string, extra: Partial<ClassifiedError> = {}): ClassifiedError => ({
    kind,
    message,
    retryable: isRetryableKind(kind),
    ...extra,
  });
  // An abort surfaces as a generic AbortError, so only our own bookkeeping can tell the two apart.
  if (ctx.aborted) return make("aborted", "The call was cancelled");
  if (ctx.timedOut) return make("timeout", "The model did not answer within the timeout");
  const refused = refusal(error);
  if (refused) return make("refused", refused);
  if (NoObjectGeneratedError.isInstance(error)) {
    return make("invalid_output", `The model's answer is not valid JSON: ${messageOf(error.cause ?? error)}`);
  }
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    if (status === undefined) {
      return make("network", messageOf(error));
    }
    const kind = kindOfStatus(status);
    const retryAfterMs =
      kind === "rate_limited" || kind === "server_error"
        ? parseRetryAfter(error.responseHeaders, ctx.nowMs)
        : undefined;
    return make(kind, statusMessage(status, error.responseBody), {
      status,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    });
  }
  if (error instanceof Error) {
    if (error.name === "TimeoutError") return make("timeout", "The model did not answer within the timeout");
    if (
      /^(AI_)?(JSONParseError|TypeValidationError|InvalidResponseDataError|EmptyResponseBodyError)$/.test(error.name)
    ) {
      return make("invalid_response", `The provider's answer could not be read: ${error.message}`);
    }
    if (error instanceof TypeError && /fetch failed/i.test(error.message))
      return make("network", messageOf(error.cause ?? error));
  }
  return make("unknown", messageOf(error));
}

// The endpoint's body is never passed on: a connection may point at a server the user could not read
// otherwise, and its error page would come back to them. Only the status's meaning, and OpenAI's or
// Anthropic's short error code (`model_not_found`, `invalid_api_key`) when the body has one.
const statusMeaning: Record<number, string> = {
  400: "the provider refused the request",
  401: "the provider refused the key",
  403: "the key may not do this",
  404: "no such model or endpoint",
  408: "the provider timed out",
  413: "the request is too large for the provider",
  422: "the provider refused the request",
  429: "rate limited by the provider",
};

function statusMessage(status: number, body: string | undefined): string {
  const meaning =
    statusMeaning[status] ??
    (status >= 500 ? "the provider failed" : status >= 400 ? "the provider refused the request" : "unexpected answer");
  const code = providerCode(body);
  return `HTTP ${status}: ${meaning}${code ? ` (${code})` : ""}`;
}

function providerCode(body: string | undefined): string | undefined {
  if (!body || body.length > 100_000) return undefined;
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; type?: unknown } };
    const code = [parsed.error?.code, parsed.error?.type].find((c) => typeof c === "string");
    return typeof code === "string" && /^[a-z][a-z0-9_]{1,40}$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

/** The message of a RefusedCallError anywhere in the error's cause chain (the SDK wraps what fetch threw). */
function refusal(error: unknown): string | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++)
    if (e.name === "RefusedCallError") return e.message;
  return undefined;
}

/**
 * The wait before retry number `retry`, or null when the failure must not be retried (not retryable,
 * retries used up, or a Retry-After longer than the policy accepts). A Retry-After replaces the
 * computed backoff: the provider knows when its window reopens.
 */
export function retryDelay(
  err: ClassifiedError,
  retry: number,
  policy: RetryPolicy,
  random: () => number,
): number | null {
  if (!err.retryable || retry >= policy.maxRetries) return null;
  if (err.retryAfterMs !== undefined) return err.retryAfterMs <= policy.maxRetryAfterMs ? err.retryAfterMs : null;
  return backoffDelay(retry, policy, random);
}
