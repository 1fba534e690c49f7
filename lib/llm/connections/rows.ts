// A stored connection as the API shows it (the key only as a mask) and as calls use it (the key decrypted).
import { z } from "zod";
import { modelConnections } from "../../../db/schema";
import { connectionSchema, providerKinds, type Connection } from "../connection";
import { decryptSecret } from "../secrets";

export type ConnectionSummary = {
  id: string;
  name: string;
  provider: (typeof providerKinds)[number];
  baseUrl: string | null;
  /** "…abcd", or null when the connection has no key. The key itself is never returned. */
  apiKeyHint: string | null;
  apiKeyHeader: string;
  queryParams: Record<string, string> | null;
  defaultModel: string | null;
  isDefault: boolean;
  concurrency: number;
  timeoutMs: number;
  maxRetries: number;
  createdAt: string;
  updatedAt: string;
};

const instant = z.iso.datetime({ offset: true });

/** A connection as the API shows it: the key only as its mask. */
export const connectionSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  provider: z.enum(providerKinds),
  baseUrl: z.string().nullable(),
  apiKeyHint: z.string().nullable(),
  apiKeyHeader: z.string(),
  queryParams: z.record(z.string(), z.string()).nullable(),
  defaultModel: z.string().nullable(),
  isDefault: z.boolean(),
  concurrency: z.number().int(),
  timeoutMs: z.number().int(),
  maxRetries: z.number().int(),
  createdAt: instant,
  updatedAt: instant,
});
/** GET /api/v1/connections */
export const connectionListResponse = z.object({ data: z.array(connectionSummarySchema) });
/** DELETE /api/v1/connections/{id} */
export const deletedConnectionResponse = z.object({ id: z.string(), deleted: z.literal(true) });

export type ConnectionRow = typeof modelConnections.$inferSelect;

export const connectionSummary = (r: ConnectionRow): ConnectionSummary => ({
  id: r.id,
  name: r.name,
  provider: r.provider as ConnectionSummary["provider"],
  baseUrl: r.baseUrl,
  apiKeyHint: r.apiKeyHint,
  apiKeyHeader: r.apiKeyHeader,
  queryParams: r.queryParams ?? null,
  defaultModel: r.defaultModel,
  isDefault: r.isDefault,
  concurrency: r.concurrency,
  timeoutMs: r.timeoutMs,
  maxRetries: r.maxRetries,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

// The builder's type satisfies its schema: a field renamed in one and not the other fails the typecheck.
const _summary: (r: ConnectionRow) => z.input<typeof connectionSummarySchema> = connectionSummary;
void _summary;

export const keyContext = (id: string) => `model_connection:${id}`;

/** The lib/llm connection of a stored row, with its key decrypted (for calls only; never returned by an API). */
export function connectionFromRow(row: ConnectionRow, encryptionKey: Uint8Array): Connection {
  return connectionSchema.parse({
    id: row.id,
    name: row.name,
    provider: row.provider,
    baseUrl: row.baseUrl ?? undefined,
    apiKey: row.apiKey ? decryptSecret(row.apiKey, encryptionKey, keyContext(row.id)) : undefined,
    apiKeyHeader: row.apiKeyHeader,
    queryParams: row.queryParams ?? undefined,
    concurrency: row.concurrency,
    timeoutMs: row.timeoutMs,
    maxRetries: row.maxRetries,
  });
}

/** This process's cached callers (resolver.ts): a changed or deleted connection's caller is dropped at once. */
export type CachedCallers = { invalidate(connectionId: string): void };
