import { APICallError, NoObjectGeneratedError } from "ai";
import { describe, expect, it } from "vitest";
import { backoffDelay, classifyError, parseRetryAfter, retryDelay, type ClassifiedError } from "./retry";

const policy = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 };
const now = Date.parse("2026-01-01T00:00:00Z");
const ok = { timedOut: false, aborted: false, nowMs: now };

const apiError = (statusCode: number | undefined, headers?: Record<string, string>, body?: string) =>
  new APICallError({
    message: "provider said no",
    url: "http://x/v1/chat/completions",
    requestBodyValues: {},
    statusCode,
    responseHeaders: headers,
    responseBody: body,
  });

describe("backoffDelay", () => {
  it.each([
    // retry, random, expected: half of min(cap, base·2^retry) fixed plus the random half
    [0, 0, 250],
    [0, 0.999999, 500],
    [1, 0.5, 750],
    [2, 0, 1000],
    [3, 1, 4000],
    [10, 0, 15_000], // capped at maxDelayMs
    [10, 1, 30_000],
  ])("retry %i with random %f waits %i ms", (retry, random, expected) => {
    expect(backoffDelay(retry, policy, () => random)).toBe(expected);
  });
});

describe("parseRetryAfter", () => {
  it.each([
    [{ "retry-after": "2" }, 2000],
    [{ "Retry-After": "0.5" }, 500],
    [{ "retry-after": "0" }, 0],
    [{ "retry-after-ms": "1234" }, 1234],
    [{ "retry-after-ms": "250", "retry-after": "9" }, 250],
    [{ "retry-after": "Thu, 01 Jan 2026 00:00:03 GMT" }, 3000],
    [{ "retry-after": "Wed, 31 Dec 2025 23:59:00 GMT" }, 0], // a date in the past means "now"
    [{ "retry-after": "soon" }, undefined],
    [{ "retry-after": "-1" }, undefined],
    [{}, undefined],
    [undefined, undefined],
  ])("%j → %s", (headers, expected) => {
    expect(parseRetryAfter(headers, now)).toBe(expected);
  });
});

describe("classifyError", () => {
  it.each([
    [429, "rate_limited", true],
    [500, "server_error", true],
    [502, "server_error", true],
    [503, "server_error", true],
    [400, "bad_request", false],
    [404, "bad_request", false],
    [422, "bad_request", false],
    [401, "auth", false],
    [403, "auth", false],
  ] as const)("HTTP %i is %s (retryable: %s)", (status, kind, retryable) => {
    const err = classifyError(apiError(status), ok);
    expect(err).toMatchObject({ kind, retryable, status });
  });

  it("reads Retry-After and the provider's short error code, never its body", () => {
    const err = classifyError(
      apiError(
        429,
        { "retry-after": "3" },
        '{"error":{"message":"Rate limit reached for gpt-4o","code":"rate_limit_exceeded"}}',
      ),
      ok,
    );
    expect(err).toEqual({
      kind: "rate_limited",
      retryable: true,
      status: 429,
      retryAfterMs: 3000,
      message: "HTTP 429: rate limited by the provider (rate_limit_exceeded)",
    });
  });

  it.each([
    ["an HTML error page", "<html><body>internal admin panel: secret</body></html>"],
    ["a JSON message", '{"error":{"message":"secret from inside"}}'],
    ["a code that is not a short identifier", '{"error":{"code":"secret from inside the network"}}'],
  ])("never passes on %s", (_, body) => {
    expect(classifyError(apiError(500, {}, body), ok).message).toBe("HTTP 500: the provider failed");
  });

  it("ignores Retry-After on errors that are not retried", () => {
    expect(classifyError(apiError(400, { "retry-after": "3" }), ok).retryAfterMs).toBeUndefined();
  });

  it("treats an API error without a status as a network failure", () => {
    expect(classifyError(apiError(undefined), ok)).toMatchObject({ kind: "network", retryable: true });
  });

  it("lets the caller's abort and our timeout win over the error's shape", () => {
    const abort = new DOMException("This operation was aborted", "AbortError");
    expect(classifyError(abort, { ...ok, aborted: true })).toMatchObject({ kind: "aborted", retryable: false });
    expect(classifyError(abort, { ...ok, timedOut: true })).toMatchObject({ kind: "timeout", retryable: true });
  });

  it("reports unparseable JSON output as invalid_output, not retried", () => {
    const e = new NoObjectGeneratedError({
      message: "No object generated",
      text: "nope",
      response: undefined as never,
      usage: undefined as never,
      finishReason: "stop",
    });
    expect(classifyError(e, ok)).toMatchObject({ kind: "invalid_output", retryable: false });
  });

  it("falls back to unknown", () => {
    expect(classifyError(new Error("weird"), ok)).toEqual({ kind: "unknown", message: "weird", retryable: false });
    expect(classifyError("string thrown", ok)).toMatchObject({ kind: "unknown", message: "string thrown" });
  });
});

describe("retryDelay", () => {
  const err = (e: Partial<ClassifiedError>): ClassifiedError => ({
    kind: "server_error",
    message: "",
    retryable: true,
    ...e,
  });

  it.each([
    ["a retryable error, first retry", err({}), 0, 500],
    ["a retryable error, third retry", err({}), 2, 2000],
    ["retries used up", err({}), 3, null],
    ["a non-retryable error", err({ kind: "auth", retryable: false }), 0, null],
    ["Retry-After replaces the backoff", err({ kind: "rate_limited", retryAfterMs: 1200 }), 2, 1200],
    ["Retry-After: 0 retries at once", err({ kind: "rate_limited", retryAfterMs: 0 }), 0, 0],
    ["a Retry-After beyond the policy gives up", err({ kind: "rate_limited", retryAfterMs: 120_000 }), 0, null],
  ])("%s", (_label, e, retry, expected) => {
    expect(retryDelay(e, retry, policy, () => 1)).toBe(expected);
  });

  it("never retries when maxRetries is 0", () => {
    expect(retryDelay(err({}), 0, { ...policy, maxRetries: 0 }, () => 0)).toBeNull();
  });
});
