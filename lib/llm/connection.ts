// A connection is where model calls go: a provider kind, an endpoint and a key, plus the limits that
// protect it (concurrency, timeout, retries). This module turns one into AI SDK model objects.
// API keys always come from the connection: the SDK providers would otherwise fall back to
// OPENAI_API_KEY / ANTHROPIC_API_KEY from the environment, which lib/ must never read.
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { EmbeddingModel, LanguageModel } from "ai";
import { z } from "zod";
import { AppError } from "../errors";
import { scriptedEmbeddingModel, scriptedLanguageModel } from "./scripted/model";

/**
 * Where a connection's calls go. `scripted` is Lectern's built-in scripted model (lib/llm/scripted): it
 * answers deterministically from the prompt, without a network, a URL or a key — the demo's connection, so
 * that every button works on a fresh install with nothing configured.
 */
export const providerKinds = ["openai", "anthropic", "openai-compatible", "scripted"] as const;
export type ProviderKind = (typeof providerKinds)[number];

export { connectionLabel, SCRIPTED_LABEL } from "./provider-labels";

export const connectionDefaults = { concurrency: 4, timeoutMs: 60_000, maxRetries: 3 } as const;

/**
 * What is wrong with a connection's base URL, or null. Only plain http(s) endpoints: no credentials in
 * the URL (they would be sent to whoever answers and shown in every listing), no fragment (`#` cuts
 * off the path the SDK appends, so it picks any path on the host), no query (use queryParams).
 */
export function baseUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an http(s) URL, e.g. http://localhost:11434/v1";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return "must be an http(s) URL, e.g. http://localhost:11434/v1";
  if (/\s/.test(value)) return "must not contain spaces";
  if (url.username || url.password) return "must not contain a user name or password (use apiKey)";
  if (value.includes("#")) return "must not contain a fragment (#)";
  if (value.includes("?")) return "must not contain a query string (use queryParams)";
  if (!url.hostname) return "must name a host";
  return null;
}

/** A base URL string checked by baseUrlProblem; messages start with `label`. */
export const baseUrlString = (label: string) =>
  z.string({ error: `${label} must be a string` }).superRefine((v, ctx) => {
    const problem = baseUrlProblem(v.trim());
    if (problem) ctx.addIssue({ code: "custom", message: `${label} ${problem}` });
  });

/** A connection's whole-number setting `field` from `min` to `max`, each refusal naming it. */
const wholeNumber = (field: string, min: number, max: number, whole = "a whole number") =>
  z
    .number({ error: `connection ${field} must be a number` })
    .int(`connection ${field} must be ${whole}`)
    .min(min, `connection ${field} must be between ${min} and ${max}`)
    .max(max, `connection ${field} must be between ${min} and ${max}`);

export const connectionSchema = z
  .object({
    id: z.string({ error: "connection id must be a string" }).min(1, "connection id must not be empty"),
    name: z
      .string({ error: "connection name must be a string" })
      .min(1, "connection name must not be empty")
      .max(100, "connection name must be at most 100 characters"),
    provider: z.enum(providerKinds, { error: `connection provider must be one of ${providerKinds.join(", ")}` }),
    baseUrl: baseUrlString("connection baseUrl").optional(),
    apiKey: z.string({ error: "connection apiKey must be a string" }).optional(),
    /**
     * openai-compatible only: the header that carries apiKey. "authorization" sends `Bearer <key>`;
     * Azure OpenAI wants "api-key".
     */
    apiKeyHeader: z
      .enum(["authorization", "api-key", "x-api-key"], {
        error: 'connection apiKeyHeader must be "authorization", "api-key" or "x-api-key"',
      })
      .default("authorization"),
    /** openai-compatible only: query parameters added to every request, e.g. Azure's api-version. */
    queryParams: z
      .record(z.string(), z.string({ error: "connection queryParams values must be strings" }), {
        error: "connection queryParams must be an object of strings",
      })
      .optional(),
    concurrency: wholeNumber("concurrency", 1, 256).default(connectionDefaults.concurrency),
    timeoutMs: wholeNumber("timeoutMs", 1, 3_600_000, "a whole number of milliseconds").default(
      connectionDefaults.timeoutMs,
    ),
    maxRetries: wholeNumber("maxRetries", 0, 10).default(connectionDefaults.maxRetries),
  })
  .superRefine((c, ctx) => {
    // Without a base URL an OpenAI-compatible connection has nowhere to go.
    if (c.provider === "openai-compatible" && !c.baseUrl) {
      ctx.addIssue({
        code: "custom",
        path: ["baseUrl"],
        message: "connection baseUrl is required for provider openai-compatible",
      });
    }
    // The scripted model calls nobody: an endpoint or a key would suggest it sends something somewhere.
    if (c.provider === "scripted")
      for (const field of ["baseUrl", "apiKey"] as const)
        if (c[field])
          ctx.addIssue({
            code: "custom",
            path: [field],
            message: `connection ${field} must not be set for provider scripted (it calls no endpoint)`,
          });
  });

export type Connection = z.output<typeof connectionSchema>;
export type ConnectionInput = z.input<typeof connectionSchema>;

/** Validates a connection and fills in the defaults; throws invalid_input naming each bad field. */
export function parseConnection(input: unknown): Connection {
  const result = connectionSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
  throw new AppError("invalid_input", issues.map((i) => i.message).join("; "), {
    field: issues[0]?.path ? `connection.${issues[0].path}` : "connection",
    issues,
  });
}

// Trailing slashes would produce ".../v1//chat/completions", which some gateways reject.
const trimUrl = (url: string | undefined) => url?.replace(/\/+$/, "");

type Providers = {
  language(modelId: string): LanguageModel;
  embedding?(modelId: string): EmbeddingModel;
};

/** Builds the AI SDK provider once per connection; callers cache the result (see createModelCaller). */
export function createProviders(conn: Connection, fetch?: typeof globalThis.fetch): Providers {
  const baseURL = trimUrl(conn.baseUrl);
  switch (conn.provider) {
    case "openai": {
      const p = createOpenAI({ apiKey: conn.apiKey ?? "", baseURL, fetch });
      // Chat Completions rather than the Responses API: it is what every OpenAI-compatible gateway and
      // the local test server speak, and evaluation needs nothing Responses-only.
      return { language: (id) => p.chat(id), embedding: (id) => p.embedding(id) };
    }
    case "anthropic": {
      const p = createAnthropic({ apiKey: conn.apiKey ?? "", baseURL, fetch });
      return { language: (id) => p.messages(id) };
    }
    case "openai-compatible": {
      const key = conn.apiKey || undefined;
      const bearer = conn.apiKeyHeader === "authorization";
      const p = createOpenAICompatible({
        name: "openai-compatible",
        baseURL: baseURL ?? "",
        apiKey: bearer ? key : undefined,
        headers: !bearer && key ? { [conn.apiKeyHeader]: key } : undefined,
        queryParams: conn.queryParams,
        // Without this, streamed answers report no token usage (OpenAI only sends it when asked).
        includeUsage: true,
        // vLLM, LiteLLM, Ollama ≥ 0.5 and Azure accept json_schema; the fallback is plain json_object.
        supportsStructuredOutputs: true,
        fetch,
      });
      return { language: (id) => p.chatModel(id), embedding: (id) => p.embeddingModel(id) };
    }
    case "scripted":
      // No fetch is given to it, nor needed: it answers in-process.
      return { language: scriptedLanguageModel, embedding: scriptedEmbeddingModel };
  }
}

/** The AI SDK language model for `modelId` on this connection. */
export function createProviderModel(conn: Connection, modelId: string): LanguageModel {
  return createProviders(conn).language(modelId);
}

/** The AI SDK embedding model; throws unprocessable when the provider offers no embeddings (Anthropic). */
export function createEmbeddingModel(conn: Connection, modelId: string): EmbeddingModel {
  const providers = createProviders(conn);
  if (!providers.embedding) throw noEmbeddings(conn);
  return providers.embedding(modelId);
}

export const offersEmbeddings = (conn: Pick<Connection, "provider">) => conn.provider !== "anthropic";

export function noEmbeddings(conn: Pick<Connection, "name" | "provider">): AppError {
  return new AppError(
    "unprocessable",
    `Connection "${conn.name}" (${conn.provider}) does not offer embeddings; choose an OpenAI or OpenAI-compatible connection`,
    { field: "connection" },
  );
}
