import { describe, expect, it } from "vitest";
import { isAppError } from "../errors";
import { createModelCaller } from "./model-caller";
import { createEmbeddingModel, createProviderModel, offersEmbeddings, parseConnection } from "./connection";
import { compileJsonSchema, formatSchemaErrors } from "./json-schema";

const base = { id: "c1", name: "Local", provider: "openai-compatible", baseUrl: "http://localhost:11434/v1" };

describe("parseConnection", () => {
  it("fills in the defaults", () => {
    expect(parseConnection(base)).toEqual({
      ...base,
      apiKeyHeader: "authorization",
      concurrency: 4,
      timeoutMs: 60_000,
      maxRetries: 3,
    });
  });

  it.each([
    [
      { ...base, provider: "cohere" },
      "connection provider must be one of openai, anthropic, openai-compatible, scripted",
      "connection.provider",
    ],
    [
      { ...base, baseUrl: undefined },
      "connection baseUrl is required for provider openai-compatible",
      "connection.baseUrl",
    ],
    [
      { ...base, baseUrl: "localhost:11434" },
      "connection baseUrl must be an http(s) URL, e.g. http://localhost:11434/v1",
      "connection.baseUrl",
    ],
    [{ ...base, concurrency: 0 }, "connection concurrency must be between 1 and 256", "connection.concurrency"],
    [{ ...base, concurrency: 2.5 }, "connection concurrency must be a whole number", "connection.concurrency"],
    [{ ...base, timeoutMs: "fast" }, "connection timeoutMs must be a number", "connection.timeoutMs"],
    [{ ...base, maxRetries: 11 }, "connection maxRetries must be between 0 and 10", "connection.maxRetries"],
    [{ ...base, name: "" }, "connection name must not be empty", "connection.name"],
    [{ ...base, apiKey: 42 }, "connection apiKey must be a string", "connection.apiKey"],
    [
      { ...base, apiKeyHeader: "bearer" },
      'connection apiKeyHeader must be "authorization", "api-key" or "x-api-key"',
      "connection.apiKeyHeader",
    ],
    [{ ...base, queryParams: { v: 1 } }, "connection queryParams values must be strings", "connection.queryParams.v"],
  ])("rejects %j", (input, message, field) => {
    let error: unknown;
    try {
      parseConnection(input);
    } catch (e) {
      error = e;
    }
    expect(isAppError(error) && error.code).toBe("invalid_input");
    expect((error as Error).message).toBe(message);
    expect(isAppError(error) && error.details?.field).toBe(field);
  });

  it("needs no base URL for OpenAI and Anthropic", () => {
    expect(parseConnection({ id: "o", name: "OpenAI", provider: "openai", apiKey: "sk" }).baseUrl).toBeUndefined();
    expect(parseConnection({ id: "a", name: "Anthropic", provider: "anthropic", apiKey: "sk" }).provider).toBe(
      "anthropic",
    );
  });
});

describe("createProviderModel", () => {
  it.each([
    ["openai", "openai.chat"],
    ["anthropic", "anthropic.messages"],
    ["openai-compatible", "openai-compatible.chat"],
  ] as const)("builds a %s chat model", (provider, name) => {
    const model = createProviderModel(parseConnection({ ...base, provider }), "some-model");
    expect(typeof model === "object" && model.provider).toBe(name);
    expect(typeof model === "object" && model.modelId).toBe("some-model");
  });

  it("offers embeddings except on Anthropic", () => {
    expect(offersEmbeddings({ provider: "openai" })).toBe(true);
    expect(offersEmbeddings({ provider: "anthropic" })).toBe(false);
    expect(() => createEmbeddingModel(parseConnection({ ...base, provider: "anthropic" }), "e")).toThrow(
      /does not offer embeddings/,
    );
    const embedder = createEmbeddingModel(parseConnection(base), "e");
    expect(typeof embedder === "object" && embedder.modelId).toBe("e");
  });

  it("caches models per caller and takes the retry count from the connection", () => {
    const c = createModelCaller(
      { ...base, provider: "openai-compatible", maxRetries: 5 },
      { retry: { baseDelayMs: 10 } },
    );
    expect(c.languageModel("a")).toBe(c.languageModel("a"));
    expect(c.retry).toEqual({ maxRetries: 5, baseDelayMs: 10, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 });
    expect(c.limiter.limit).toBe(4);
  });
});

describe("compileJsonSchema", () => {
  it("compiles the same schema text once, and a schema with an $id more than once", () => {
    const withId = () => ({ $id: "https://example.com/reply", type: "object" });
    const a = compileJsonSchema(withId());
    const b = compileJsonSchema(withId());
    expect(a.ok && b.ok).toBe(true);
    expect(a.ok && b.ok && a.validate === b.validate).toBe(true);
    const changed = compileJsonSchema({ $id: "https://example.com/reply", type: "string" });
    expect(changed.ok && changed.validate({})).toBe(false);
  });

  it.each([
    [[], "a JSON Schema must be an object"],
    [null, "a JSON Schema must be an object"],
    [{ type: "objekt" }, /type/],
    [{ properties: { a: { minimum: "zero" } } }, /minimum/],
  ])("explains why %j is not a schema", (schema, message) => {
    const r = compileJsonSchema(schema);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it("formats errors with their location", () => {
    const r = compileJsonSchema({ type: "object", properties: { n: { type: "number" } }, required: ["m"] });
    if (!r.ok) throw new Error(r.error);
    r.validate({ n: "x" });
    expect(formatSchemaErrors(r.validate.errors).sort()).toEqual([
      "(root) must have required property 'm'",
      "/n must be number",
    ]);
  });
});
