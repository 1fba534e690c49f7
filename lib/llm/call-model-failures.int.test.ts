// Failures, retries and limits of callModel and embedTexts against the local model getServer(). Backoff
// sleeps go through a recording clock that returns at once, so retry timing is asserted exactly
// without waiting.
import { describe, expect, it } from "vitest";
import { ask, localCaller, withLlmServer } from "../../test/llm-caller";
import { startLlmServer, type Script } from "../../test/llm-server";
import { isAppError } from "../errors";
import type { ModelCallerOptions } from "./model-caller";
import { callModel, embedTexts, MAX_ANSWER_CHARS } from "./call-model";
import type { ConnectionInput } from "./connection";

const getServer = withLlmServer();
const caller = (conn: Partial<ConnectionInput> = {}, opts: ModelCallerOptions = {}) =>
  localCaller(getServer(), conn, opts);

describe("callModel: failures and retries", () => {
  it.each([
    ["openai-compatible", false],
    ["openai-compatible", true],
    ["anthropic", false],
    ["anthropic", true],
  ] as const)("waits for Retry-After after a 429, then succeeds (%s, stream: %s)", async (provider, stream) => {
    getServer().script({
      rules: [
        { match: "busy", fail: { status: 429, retryAfter: 2 }, times: 1 },
        { match: "busy", text: "done" },
      ],
    });
    const c = caller({ provider });
    const r = await callModel(c, ask("busy?", { stream }));
    expect(r).toMatchObject({ text: "done", attempts: 2 });
    expect(r.error).toBeUndefined();
    expect(c.sleeps).toEqual([2000]);
    expect(getServer().requests.map((q) => q.status)).toEqual([429, 200]);
  });

  it.each([
    ["openai-compatible", false],
    ["anthropic", true],
  ] as const)(
    "backs off exponentially on 500 and gives up after maxRetries (%s, stream: %s)",
    async (provider, stream) => {
      getServer().script({ rules: [{ fail: { status: 500, message: "upstream exploded" } }] });
      const c = caller({ provider, maxRetries: 2 });
      const r = await callModel(c, ask("hello", { stream }));
      expect(r.error).toEqual({
        kind: "server_error",
        status: 500,
        retryable: true,
        // The provider's own words are not passed on (a connection may point at a server the user cannot read).
        message: expect.stringMatching(/^HTTP 500: the provider failed( \((server_error|api_error)\))?$/),
      });
      expect(r).toMatchObject({
        text: "",
        finishReason: "error",
        attempts: 3,
        costUsd: null,
        usage: { inputTokens: 0, outputTokens: 0 },
      });
      // Equal jitter with random() = 0.5: 250 + 125, then 500 + 250.
      expect(c.sleeps).toEqual([375, 750]);
      expect(getServer().requests).toHaveLength(3);
    },
  );

  it("gives up on a Retry-After longer than the policy accepts", async () => {
    getServer().script({ rules: [{ fail: { status: 429, retryAfter: 3600 } }] });
    const c = caller({ maxRetries: 3 });
    const r = await callModel(c, ask("hello"));
    expect(r.error).toMatchObject({ kind: "rate_limited", status: 429 });
    expect(r.attempts).toBe(1);
    expect(c.sleeps).toEqual([]);
  });

  it.each([false, true])(
    "times out a hanging server, retries, and reports the timeout (stream: %s)",
    async (stream) => {
      getServer().script({ rules: [{ fail: "hang" }] });
      const c = caller({ timeoutMs: 150, maxRetries: 1 });
      const r = await callModel(c, ask("hello", { stream }));
      expect(r.error).toMatchObject({ kind: "timeout", retryable: true });
      expect(r.attempts).toBe(2);
      expect(getServer().requests).toHaveLength(2);
      expect(c.sleeps).toHaveLength(1);
    },
  );

  it("times out a stream that stalls after its first tokens", async () => {
    getServer().script({ chunkDelayMs: 400, rules: [{ text: "one two three" }] });
    const r = await callModel(caller({ timeoutMs: 200, maxRetries: 0 }), ask("hello", { stream: true }));
    expect(r.error).toMatchObject({ kind: "timeout" });
    expect(r.text).toBe("");
  });

  it("lets the request's timeoutMs override the connection's", async () => {
    getServer().script({ rules: [{ fail: "hang" }] });
    const r = await callModel(caller({ timeoutMs: 60_000, maxRetries: 0 }), ask("hello", { timeoutMs: 100 }));
    expect(r.error?.kind).toBe("timeout");
  });

  it.each<[number, string, Script, Partial<ConnectionInput>]>([
    [401, "auth", { apiKey: "sk-right" }, { apiKey: "sk-wrong" }],
    [400, "bad_request", { rules: [{ fail: { status: 400, message: "model not found" } }] }, {}],
    [404, "bad_request", { rules: [{ fail: { status: 404 } }] }, {}],
  ])("never retries HTTP %i (%s)", async (status, kind, script, conn) => {
    getServer().script(script);
    const c = caller({ maxRetries: 3, ...conn });
    const r = await callModel(c, ask("hello"));
    expect(r.error).toMatchObject({ kind, status, retryable: false });
    expect(r.attempts).toBe(1);
    expect(getServer().requests).toHaveLength(1);
    expect(c.sleeps).toEqual([]);
  });

  it("reports a malformed 200 answer as invalid_response without retrying", async () => {
    getServer().script({ rules: [{ fail: "malformed" }] });
    const r = await callModel(caller({ maxRetries: 3 }), ask("hello"));
    expect(r.error).toMatchObject({ kind: "invalid_response", retryable: false });
    expect(getServer().requests).toHaveLength(1);
  });

  it("retries a refused connection as a network error", async () => {
    const dead = await startLlmServer();
    const baseUrl = dead.baseUrl;
    await dead.stop();
    const c = caller({ baseUrl, maxRetries: 2 });
    const r = await callModel(c, ask("hello"));
    expect(r.error).toMatchObject({ kind: "network", retryable: true });
    expect(r.attempts).toBe(3);
  });

  it("stops at once when the caller aborts, without retrying", async () => {
    getServer().script({ rules: [{ fail: "hang" }] });
    const c = caller({ maxRetries: 3 });
    const ac = new AbortController();
    const pending = callModel(c, ask("hello", { abortSignal: ac.signal }));
    await expect.poll(() => getServer().requests.length).toBe(1);
    ac.abort();
    const r = await pending;
    expect(r.error).toMatchObject({ kind: "aborted", retryable: false });
    expect(r.attempts).toBe(1);
    expect(c.sleeps).toEqual([]);
  });

  it("throws on a malformed request instead of calling", async () => {
    const c = caller();
    await expect(callModel(c, { model: "m" })).rejects.toThrow("request needs at least one user or assistant message");
    await expect(callModel(c, { model: "", prompt: "x" })).rejects.toThrow("request.model is required");
    expect(getServer().requests).toHaveLength(0);
  });
});

describe("callModel: concurrency", () => {
  it("never has more than the connection's limit in flight at the server", async () => {
    // The first two requests are held at the server until released; the rest answer after 20 ms.
    getServer().script({ latencyMs: 20, rules: [{ hold: true, times: 2, text: "held" }] });
    const c = caller({ concurrency: 2 });
    const calls = Array.from({ length: 8 }, (_, i) => callModel(c, ask(`question ${i}`)));
    await expect.poll(() => getServer().requests.length).toBe(2);
    // Both permits are taken by the held calls, and the other six wait in the caller's queue.
    expect(c.limiter.inUse).toBe(2);
    expect(c.limiter.waiting).toBe(6);
    expect(getServer().inFlight).toBe(2);
    getServer().release();
    const results = await Promise.all(calls);
    expect(results.every((r) => r.error === undefined)).toBe(true);
    expect(getServer().requests).toHaveLength(8);
    expect(getServer().maxInFlight).toBe(2);
    expect(c.limiter.inUse).toBe(0);
  });

  it("gives up waiting for a slot when the caller aborts, without calling", async () => {
    getServer().script({ rules: [{ hold: true, times: 1 }] });
    const c = caller({ concurrency: 1 });
    const first = callModel(c, ask("first"));
    await expect.poll(() => getServer().requests.length).toBe(1);
    const ac = new AbortController();
    const queued = callModel(c, ask("second", { abortSignal: ac.signal }));
    expect(c.limiter.waiting).toBe(1);
    ac.abort();
    expect(await queued).toMatchObject({ attempts: 0, error: { kind: "aborted" } });
    getServer().release();
    expect((await first).error).toBeUndefined();
    expect(getServer().requests).toHaveLength(1);
  });

  it("shares the limit between calls and embeddings of the same caller", async () => {
    getServer().script({ rules: [{ hold: true, times: 1 }] });
    const c = caller({ concurrency: 1 });
    const chat = callModel(c, ask("first"));
    await expect.poll(() => getServer().requests.length).toBe(1);
    const emb = embedTexts(c, { model: "embedder", values: ["x"] });
    expect(c.limiter.waiting).toBe(1);
    getServer().release();
    await Promise.all([chat, emb]);
    expect(getServer().maxInFlight).toBe(1);
  });
});

describe("embedTexts", () => {
  it("returns one vector per value, with tokens and cost", async () => {
    const c = caller({}, { prices: { embedder: { inputPerMTok: 0.1, outputPerMTok: 0 } } });
    const r = await embedTexts(c, {
      model: "embedder",
      values: ["refund my order", "refund my order", "the weather is nice"],
    });
    expect(r.error).toBeUndefined();
    expect(r.embeddings).toHaveLength(3);
    expect(r.embeddings[0]).toEqual(r.embeddings[1]);
    expect(r.embeddings[0]).not.toEqual(r.embeddings[2]);
    expect(r.tokens).toBeGreaterThan(0);
    expect(r.costUsd).toBeCloseTo((r.tokens * 0.1) / 1e6, 12);
  });

  it("retries embeddings like model calls", async () => {
    getServer().script({ rules: [{ api: "embeddings", fail: { status: 503 }, times: 1 }] });
    const c = caller();
    const r = await embedTexts(c, { model: "embedder", values: ["x"] });
    expect(r.error).toBeUndefined();
    expect(r.attempts).toBe(2);
    expect(c.sleeps).toHaveLength(1);
  });

  it("refuses a connection without embeddings", async () => {
    const c = caller({ provider: "anthropic" });
    const error = await embedTexts(c, { model: "x", values: ["x"] }).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe("unprocessable");
    expect((error as Error).message).toBe(
      'Connection "Local" (anthropic) does not offer embeddings; choose an OpenAI or OpenAI-compatible connection',
    );
  });
});

describe("callModel: answers larger or deeper than Lectern keeps", () => {
  it.each([false, true])("cuts an answer longer than MAX_ANSWER_CHARS (stream: %s)", async (stream) => {
    getServer().script({ rules: [{ match: "talk", text: "y".repeat(MAX_ANSWER_CHARS + 5000) }] });
    const r = await callModel(caller(), ask("talk forever", { stream }));
    expect([r.text.length, r.finishReason, r.truncated, r.error]).toEqual([
      MAX_ANSWER_CHARS,
      "length",
      true,
      undefined,
    ]);
  });

  it("refuses JSON nested more than 64 levels as an invalid output", async () => {
    const deep = "[".repeat(200) + "]".repeat(200);
    getServer().script({ rules: [{ match: "nest", text: deep }] });
    const r = await callModel(caller(), ask("nest", { responseFormat: { type: "json" } }));
    expect(r.object).toBeUndefined();
    expect(r.error).toMatchObject({
      kind: "invalid_output",
      message: expect.stringContaining("nested more than 64 levels"),
    });
  });
});
