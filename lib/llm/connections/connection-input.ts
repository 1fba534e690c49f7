// What a connection accepts on create and update: the zod input schemas, with messages naming the field.
import { z } from "zod";
import { nameInput } from "../../validation";
import { baseUrlString, connectionDefaults, providerKinds } from "../connection";

export const MAX_CONNECTIONS_PER_PROJECT = 50;

const int = (field: string, min: number, max: number) =>
  z
    .number({ error: `${field} must be a number` })
    .int({ error: `${field} must be a whole number` })
    .min(min, { error: `${field} must be between ${min} and ${max}` })
    .max(max, { error: `${field} must be between ${min} and ${max}` });
const keyHeader = z.enum(["authorization", "api-key", "x-api-key"], {
  error: 'apiKeyHeader must be "authorization", "api-key" or "x-api-key"',
});
const queryParams = z.record(z.string(), z.string({ error: "queryParams values must be strings" }), {
  error: "queryParams must be an object of strings",
});

const modelName = z
  .string({ error: "defaultModel must be a string" })
  .trim()
  .min(1, { error: "defaultModel must not be empty" })
  .max(200, { error: "defaultModel must be at most 200 characters" });

export const createConnectionInput = z
  .object({
    name: nameInput,
    provider: z.enum(providerKinds, { error: `provider must be one of ${providerKinds.join(", ")}` }),
    baseUrl: z
      .string({ error: "baseUrl must be a string" })
      .trim()
      .max(2000, { error: "baseUrl must be at most 2000 characters" })
      .pipe(baseUrlString("baseUrl"))
      .optional(),
    apiKey: z
      .string({ error: "apiKey must be a string" })
      .max(4000, { error: "apiKey must be at most 4000 characters" })
      .optional(),
    apiKeyHeader: keyHeader.default("authorization"),
    queryParams: queryParams.optional(),
    defaultModel: modelName.optional(),
    isDefault: z.boolean({ error: "isDefault must be true or false" }).default(false),
    concurrency: int("concurrency", 1, 256).default(connectionDefaults.concurrency),
    timeoutMs: int("timeoutMs", 1, 3_600_000).default(connectionDefaults.timeoutMs),
    maxRetries: int("maxRetries", 0, 10).default(connectionDefaults.maxRetries),
  })
  .strict();

export const updateConnectionInput = z
  .object({
    name: createConnectionInput.shape.name.optional(),
    baseUrl: createConnectionInput.shape.baseUrl.unwrap().nullable().optional(),
    // A new key replaces the old one; null removes it. Omitted: the key stays.
    apiKey: createConnectionInput.shape.apiKey.unwrap().nullable().optional(),
    apiKeyHeader: keyHeader.optional(),
    queryParams: queryParams.nullable().optional(),
    defaultModel: modelName.nullable().optional(),
    isDefault: z.boolean({ error: "isDefault must be true or false" }).optional(),
    concurrency: int("concurrency", 1, 256).optional(),
    timeoutMs: int("timeoutMs", 1, 3_600_000).optional(),
    maxRetries: int("maxRetries", 0, 10).optional(),
  })
  .strict();
