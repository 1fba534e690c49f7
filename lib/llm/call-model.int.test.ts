// callModel through the real AI SDK providers against the local model server over HTTP: answers,
// streaming, tools, structured output and where keys come from. Latencies are measured and checked
// for consistency, never against a wall-clock bound.
import { afterEach, describe, expect, it, vi } from "vitest";
import { ask, localCaller, withLlmServer } from "../../test/llm-caller";
import { callModel } from "./call-model";
import type { ConnectionInput } from "./connection";

const getServer = withLlmServer();
const caller = (conn: Partial<ConnectionInput> = {}) => localCaller(getServer(), conn);

describe("callModel: answers", () => {
  it.each(["openai-compatible", "openai", "anthropic"] as const)(
    "returns text, tokens, cost and latency through %s",
    async (provider) => {
      getServer().script({
        apiKey: "sk-local",
        rules: [{ match: "capital of France", text: "Paris.", usage: { input: 1000, output: 500 } }],
      });
      const c = caller({ provider, apiKey: "sk-local" });
      const r = await callModel(
        c,
        ask("What is the capital of France?", { temperature: 0.3, maxTokens: 50, topP: 0.9, stop: ["END"] }),
      );
      expect(r.error).toBeUndefined();
      expect(r).toMatchObject({
        text: "Paris.",
        finishReason: "stop",
        usage: { inputTokens: 1000, outputTokens: 500 },
        usageReported: true,
        attempts: 1,
        model: "scripted-model",
      });
      expect(r.costUsd).toBeCloseTo((1000 * 2 + 500 * 8) / 1e6, 12);
      expect(r.latencyMs).toBeGreaterThan(0);
      expect(r.totalMs).toBeGreaterThanOrEqual(r.latencyMs);
      expect(r.ttftMs).toBeUndefined();
      // The request's settings reached the wire.
      const body = getServer().requests[0]!.body as Record<string, unknown>;
      expect(body).toMatchObject({ model: "scripted-model", temperature: 0.3, top_p: 0.9 });
      expect(body[provider === "anthropic" ? "stop_sequences" : "stop"]).toEqual(["END"]);
      expect(body.max_tokens).toBe(50);
    },
  );

  it("sends system text, messages and prompt in order", async () => {
    const c = caller();
    await callModel(c, {
      model: "m",
      system: "Be brief.",
      messages: [
        { role: "user", content: "one" },
        { role: "assistant", content: "two" },
      ],
      prompt: "three",
    });
    expect((getServer().requests[0]!.body as { messages: unknown }).messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "one" },
      { role: "assistant", content: "two" },
      { role: "user", content: "three" },
    ]);
  });

  it.each(["openai-compatible", "anthropic"] as const)(
    "streams through %s and measures time to first token",
    async (provider) => {
      getServer().script({
        latencyMs: 30,
        chunkDelayMs: 5,
        rules: [{ match: "story", text: "Once upon a time there was a prompt.", usage: { input: 20, output: 9 } }],
      });
      const r = await callModel(caller({ provider }), ask("Tell me a story", { stream: true }));
      expect(r.error).toBeUndefined();
      expect(r.text).toBe("Once upon a time there was a prompt.");
      expect(r.usage).toEqual({ inputTokens: 20, outputTokens: 9 });
      expect(r.costUsd).toBeCloseTo((20 * 2 + 9 * 8) / 1e6, 12);
      expect(getServer().requests[0]!.stream).toBe(true);
      // The first token arrives before the answer is complete: a relation, not a time bound.
      expect(r.ttftMs).toBeGreaterThan(0);
      expect(r.ttftMs!).toBeLessThan(r.latencyMs);
    },
  );

  it.each([false, true])("returns tool calls (stream: %s)", async (stream) => {
    getServer().script({
      rules: [{ match: "order 42", toolCalls: [{ name: "lookup_order", arguments: { id: "42" } }] }],
    });
    const tools = [
      {
        name: "lookup_order",
        description: "Find an order",
        parameters: { type: "object", properties: { id: { type: "string" } }, required: ["id"] },
      },
    ];
    const r = await callModel(caller(), ask("Where is order 42?", { tools, stream }));
    expect(r.error).toBeUndefined();
    expect(r.finishReason).toBe("tool-calls");
    expect(r.toolCalls).toEqual([{ id: expect.any(String), name: "lookup_order", input: { id: "42" } }]);
    const sent = (getServer().requests[0]!.body as { tools: Array<{ function: { name: string } }> }).tools;
    expect(sent.map((t) => t.function.name)).toEqual(["lookup_order"]);
  });
});

describe("callModel: structured output", () => {
  const schema = {
    type: "object",
    properties: { verdict: { type: "string" }, score: { type: "integer" } },
    required: ["verdict", "score"],
    additionalProperties: false,
  };

  it.each([
    ["openai-compatible", "scripted-model", false],
    ["openai-compatible", "scripted-model", true],
    ["anthropic", "claude-sonnet-4-5", false], // native output_config.format
    ["anthropic", "claude-3-haiku-20240307", false], // the forced "json" tool
    ["anthropic", "claude-3-haiku-20240307", true],
  ] as const)("parses the JSON answer through %s %s (stream: %s)", async (provider, model, stream) => {
    getServer().script({ rules: [{ match: "grade", json: { verdict: "good", score: 4 } }] });
    const r = await callModel(caller({ provider }), {
      ...ask("grade this"),
      model,
      stream,
      responseFormat: { type: "json", schema, name: "grade" },
    });
    expect(r.error).toBeUndefined();
    expect(r.object).toEqual({ verdict: "good", score: 4 });
    expect(JSON.parse(r.text)).toEqual({ verdict: "good", score: 4 });
  });

  it("asks OpenAI-compatible servers for json_schema", async () => {
    await callModel(caller(), { ...ask("x"), responseFormat: { type: "json", schema, name: "grade" } });
    expect((getServer().requests[0]!.body as { response_format: unknown }).response_format).toMatchObject({
      type: "json_schema",
      json_schema: { name: "grade", schema },
    });
  });

  it.each([false, true])(
    "keeps the text and tokens of an answer that is not JSON, as invalid_output (stream: %s)",
    async (stream) => {
      getServer().script({ rules: [{ match: "grade", text: "I think it is good", usage: { input: 10, output: 5 } }] });
      const c = caller({ maxRetries: 3 });
      const r = await callModel(c, { ...ask("grade this"), stream, responseFormat: { type: "json", schema } });
      expect(r.error).toMatchObject({ kind: "invalid_output", retryable: false });
      expect(r.error!.message).toMatch(/^The model's answer is not valid JSON: /);
      expect(r).toMatchObject({ text: "I think it is good", usage: { inputTokens: 10, outputTokens: 5 }, attempts: 1 });
      expect(r.object).toBeUndefined();
      expect(r.costUsd).not.toBeNull();
      expect(getServer().requests).toHaveLength(1);
    },
  );
});

describe("callModel: keys come only from the connection", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each([
    ["openai", "OPENAI_API_KEY", "authorization"],
    ["anthropic", "ANTHROPIC_API_KEY", "x-api-key"],
  ] as const)("%s without a key does not fall back to %s", async (provider, variable, header) => {
    vi.stubEnv(variable, "sk-from-the-environment");
    const r = await callModel(caller({ provider }), ask("hello"));
    expect(r.error).toBeUndefined();
    expect(String(getServer().requests[0]!.headers[header] ?? "")).not.toContain("sk-from-the-environment");
  });
});

describe("callModel: Azure-style endpoints", () => {
  it("sends the key in the api-key header and adds the query parameters", async () => {
    getServer().script({ apiKey: "azure-key", rules: [{ text: "hello from azure" }] });
    const c = caller({ apiKey: "azure-key", apiKeyHeader: "api-key", queryParams: { "api-version": "2024-10-21" } });
    const r = await callModel(c, ask("hi"));
    expect(r.text).toBe("hello from azure");
    expect(getServer().requests[0]!.headers["api-key"]).toBe("azure-key");
    expect(getServer().requests[0]!.headers.authorization).toBeUndefined();
    expect(getServer().requests[0]!.query).toEqual({ "api-version": "2024-10-21" });
  });
});
