// Model connections per project (where evaluation, the playground and judges send model calls) and the
// project's price overrides. API keys are stored AES-256-GCM encrypted, bound to the connection's id.
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { ownedBy, refOrNull, uuidKey, writtenAt } from "./columns";
import { projects } from "./projects";
import { users } from "./users";

export const modelConnections = pgTable(
  "model_connections",
  {
    id: uuidKey(),
    projectId: ownedBy(() => projects.id),
    name: text().notNull(),
    provider: text().notNull(),
    baseUrl: text(),
    // v1.<iv>.<tag>.<ciphertext>; null for endpoints without a key (a local Ollama).
    apiKey: text(),
    // The last characters of the key ("…abcd"), to tell keys apart without seeing them.
    apiKeyHint: text(),
    apiKeyHeader: text().notNull().default("authorization"),
    queryParams: jsonb().$type<Record<string, string>>(),
    // The model used when a version's config names none, and by "Test connection".
    defaultModel: text(),
    // The project's default connection, used when nothing names one (at most one per project).
    isDefault: boolean().notNull().default(false),
    concurrency: integer().notNull().default(4),
    timeoutMs: integer().notNull().default(60_000),
    maxRetries: integer().notNull().default(3),
    createdBy: refOrNull(() => users.id),
    createdAt: writtenAt(),
    // Bumped on every change: cached callers compare it to know they are stale.
    updatedAt: writtenAt(),
  },
  (t) => [
    unique("model_connections_project_name").on(t.projectId, t.name),
    uniqueIndex("model_connections_one_default")
      .on(t.projectId)
      .where(sql`${t.isDefault}`),
    check("model_connections_provider", sql`${t.provider} in ('openai', 'anthropic', 'openai-compatible', 'scripted')`),
    // The built-in scripted model (lib/llm/scripted) calls no endpoint and holds no key.
    check(
      "model_connections_scripted",
      sql`${t.provider} <> 'scripted' or (${t.baseUrl} is null and ${t.apiKey} is null)`,
    ),
    check("model_connections_base_url", sql`${t.provider} <> 'openai-compatible' or ${t.baseUrl} is not null`),
    check("model_connections_key_header", sql`${t.apiKeyHeader} in ('authorization', 'api-key', 'x-api-key')`),
    check(
      "model_connections_limits",
      sql`${t.concurrency} between 1 and 256 and ${t.timeoutMs} between 1 and 3600000 and ${t.maxRetries} between 0 and 10`,
    ),
    check("model_connections_name", sql`length(${t.name}) between 1 and 100`),
    check("model_connections_key_encrypted", sql`${t.apiKey} is null or ${t.apiKey} like 'v1.%'`),
  ],
);

// A project's prices per model (USD per million tokens); they override lib/llm's default table.
export const modelPrices = pgTable(
  "model_prices",
  {
    projectId: ownedBy(() => projects.id),
    model: text().notNull(),
    inputPerMTok: doublePrecision().notNull(),
    outputPerMTok: doublePrecision().notNull(),
    updatedAt: writtenAt(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.model] }),
    check(
      "model_prices_non_negative",
      sql`${t.inputPerMTok} >= 0 and ${t.outputPerMTok} >= 0 and ${t.inputPerMTok} <= 10000 and ${t.outputPerMTok} <= 10000`,
    ),
  ],
);
