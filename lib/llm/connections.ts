// Model connections per project (admin): create (the key is encrypted at once and never returned,
// only a mask like "…abcd"), list, update, delete. Every change bumps updated_at, which is what
// cached callers (resolver.ts) compare to know they are stale, on this instance or any other.
import { randomUUID } from "node:crypto";
import { and, asc, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { modelConnections } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { authorize, type Actor } from "../auth/permissions";
import { AppError, pgConstraint } from "../errors";
import { parseInput } from "../validation";
import { baseUrlString, connectionDefaults, connectionSchema, providerKinds, type Connection } from "./connection";
import { decryptSecret, encryptSecret, maskSecret } from "./secrets";
import { isIP } from "node:net";
import { assertPublic, bareHost, BlockedAddressError, type PrivatePolicy } from "../net/ssrf";

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
    name: z
      .string({ error: "name is required" })
      .trim()
      .min(1, { error: "name is required" })
      .max(100, { error: "name must be at most 100 characters" }),
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

const keyContext = (id: string) => `model_connection:${id}`;

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

export type ConnectionPolicy = {
  /** Which private addresses connections may reach (LECTERN_CONNECTIONS_ALLOW_PRIVATE). */
  allowPrivate: PrivatePolicy;
};

function checkBaseUrl(provider: string, baseUrl: string | null | undefined, policy: ConnectionPolicy) {
  if (provider === "openai-compatible" && !baseUrl)
    throw new AppError("unprocessable", "baseUrl is required for provider openai-compatible", { field: "baseUrl" });
  if (!baseUrl) return;
  // Literal addresses and localhost are refused at once; names are checked on every call, on the
  // address connected to (lib/llm/guarded-fetch.ts), since DNS answers change.
  const url = new URL(baseUrl);
  const host = bareHost(url);
  const literal = isIP(host) ? host : host === "localhost" || host.endsWith(".localhost") ? "127.0.0.1" : null;
  if (!literal) return;
  try {
    assertPublic(host, [{ address: literal, family: isIP(literal) }], policy.allowPrivate);
  } catch (e) {
    if (!(e instanceof BlockedAddressError)) throw e;
    throw new AppError(
      "invalid_input",
      `baseUrl is refused: ${e.message}. Model connections may only reach public addresses unless the operator allows private ones (LECTERN_CONNECTIONS_ALLOW_PRIVATE).`,
      { field: "baseUrl" },
    );
  }
}

function conflictOnName(e: unknown, name: string | undefined): never {
  const c = pgConstraint(e);
  if (c === "model_connections_project_name")
    throw new AppError("conflict", `A connection named "${name}" already exists in this project.`, { field: "name" });
  throw e;
}

async function clearDefault(tx: Db, projectId: string, except: string) {
  await tx
    .update(modelConnections)
    .set({ isDefault: false, updatedAt: sql`now()` })
    .where(
      and(
        eq(modelConnections.projectId, projectId),
        eq(modelConnections.isDefault, true),
        ne(modelConnections.id, except),
      ),
    );
}

/** Creates a connection; the answer carries only the key's mask. */
export async function createConnection(
  db: Db,
  actor: Actor,
  projectId: string,
  input: unknown,
  encryptionKey: Uint8Array,
  policy: ConnectionPolicy = { allowPrivate: false },
): Promise<ConnectionSummary> {
  authorize(actor, "connection.manage");
  const data = parseInput(createConnectionInput, input);
  checkBaseUrl(data.provider, data.baseUrl, policy);
  const id = randomUUID();
  const key = data.apiKey ? data.apiKey.trim() : "";
  try {
    return await db.transaction(async (tx) => {
      const [{ n }] = (await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(modelConnections)
        .where(eq(modelConnections.projectId, projectId))) as [{ n: number }];
      if (n >= MAX_CONNECTIONS_PER_PROJECT)
        throw new AppError(
          "conflict",
          `A project can have at most ${MAX_CONNECTIONS_PER_PROJECT} model connections; delete one first.`,
        );
      if (data.isDefault) await clearDefault(tx, projectId, id);
      const [row] = await tx
        .insert(modelConnections)
        .values({
          id,
          projectId,
          name: data.name,
          provider: data.provider,
          baseUrl: data.baseUrl ?? null,
          apiKey: key ? encryptSecret(key, encryptionKey, keyContext(id)) : null,
          apiKeyHint: key ? maskSecret(key) : null,
          apiKeyHeader: data.apiKeyHeader,
          queryParams: data.queryParams ?? null,
          defaultModel: data.defaultModel ?? null,
          isDefault: data.isDefault,
          concurrency: data.concurrency,
          timeoutMs: data.timeoutMs,
          maxRetries: data.maxRetries,
          createdBy: actor.type === "user" ? actor.id : null,
        })
        .returning();
      await recordAudit(tx, {
        projectId,
        actor,
        action: "connection.create",
        objectType: "model_connection",
        objectId: id,
        after: { name: data.name, provider: data.provider, baseUrl: data.baseUrl ?? null, apiKey: row!.apiKeyHint },
      });
      return connectionSummary(row!);
    });
  } catch (e) {
    conflictOnName(e, data.name);
  }
}

/** Connections of a project, the default first, then by name. */
export async function listConnections(db: Db, actor: Actor, projectId: string): Promise<ConnectionSummary[]> {
  authorize(actor, "connection.manage");
  const rows = await db
    .select()
    .from(modelConnections)
    .where(eq(modelConnections.projectId, projectId))
    .orderBy(sql`${modelConnections.isDefault} desc`, asc(modelConnections.name));
  return rows.map(connectionSummary);
}

export type ConnectionChoice = {
  id: string;
  name: string;
  provider: string;
  defaultModel: string | null;
  isDefault: boolean;
};

/** What members may choose from (the playground, run forms): names only, no endpoints or key masks. */
export async function connectionChoices(db: Db, actor: Actor, projectId: string): Promise<ConnectionChoice[]> {
  authorize(actor, "evaluation.read");
  const rows = await db
    .select({
      id: modelConnections.id,
      name: modelConnections.name,
      provider: modelConnections.provider,
      defaultModel: modelConnections.defaultModel,
      isDefault: modelConnections.isDefault,
    })
    .from(modelConnections)
    .where(eq(modelConnections.projectId, projectId))
    .orderBy(sql`${modelConnections.isDefault} desc`, asc(modelConnections.name));
  return rows;
}

/** The row of a connection in this project, by id or name; not_found otherwise (also for another project's id). */
export async function findConnection(db: Db, projectId: string, ref: string): Promise<ConnectionRow> {
  const byId = z.uuid().safeParse(ref).success;
  const [row] = await db
    .select()
    .from(modelConnections)
    .where(
      and(
        eq(modelConnections.projectId, projectId),
        byId ? eq(modelConnections.id, ref) : eq(modelConnections.name, ref),
      ),
    );
  if (!row) throw new AppError("not_found", `No model connection ${ref} in this project.`, { field: "connection" });
  return row;
}

/**
 * Refuses (unprocessable, naming the field) any reference that is not one of this project's
 * connections. A rule or run naming another project's connection id would otherwise be saved and fail
 * later, or wait for a connection of that id to appear; none (or "default") means the project's default.
 */
export async function assertProjectConnections(
  db: Db,
  projectId: string,
  refs: readonly { field: string; ref: string | null | undefined }[],
): Promise<void> {
  for (const { field, ref } of refs) {
    if (ref === undefined || ref === null || ref === "" || ref === "default") continue;
    try {
      await findConnection(db, projectId, ref);
    } catch (e) {
      if (e instanceof AppError && e.code === "not_found") throw new AppError("unprocessable", e.message, { field });
      throw e;
    }
  }
}

/** The `connection` of each scorer that names one, with its field (scorers.i.connection). */
export const scorerConnections = (scorers: readonly object[], prefix = "scorers") =>
  scorers.flatMap((s, i) =>
    "connection" in s && typeof s.connection === "string"
      ? [{ field: `${prefix}.${i}.connection`, ref: s.connection }]
      : [],
  );

export async function updateConnection(
  db: Db,
  actor: Actor,
  projectId: string,
  id: string,
  input: unknown,
  encryptionKey: Uint8Array,
  policy: ConnectionPolicy = { allowPrivate: false },
): Promise<ConnectionSummary> {
  authorize(actor, "connection.manage");
  const data = parseInput(updateConnectionInput, input);
  const existing = await findConnection(db, projectId, id);
  if (data.baseUrl !== undefined) checkBaseUrl(existing.provider, data.baseUrl, policy);
  // The stored key was given for the old endpoint: it does not follow the connection to a new one
  // (anyone who may edit the URL could otherwise send it to a server of theirs). A new URL without a
  // new key clears it, and the admin enters it again.
  const moved = data.baseUrl !== undefined && (data.baseUrl ?? null) !== existing.baseUrl;
  const given = data.apiKey === undefined ? undefined : data.apiKey === null ? null : data.apiKey.trim() || null;
  const key = given === undefined && moved && existing.apiKey ? null : given;
  try {
    return await db.transaction(async (tx) => {
      if (data.isDefault) await clearDefault(tx, projectId, existing.id);
      const [row] = await tx
        .update(modelConnections)
        .set({
          ...(data.name !== undefined && { name: data.name }),
          ...(data.baseUrl !== undefined && { baseUrl: data.baseUrl }),
          ...(key !== undefined && {
            apiKey: key ? encryptSecret(key, encryptionKey, keyContext(existing.id)) : null,
            apiKeyHint: key ? maskSecret(key) : null,
          }),
          ...(data.apiKeyHeader !== undefined && { apiKeyHeader: data.apiKeyHeader }),
          ...(data.queryParams !== undefined && { queryParams: data.queryParams }),
          ...(data.defaultModel !== undefined && { defaultModel: data.defaultModel }),
          ...(data.isDefault !== undefined && { isDefault: data.isDefault }),
          ...(data.concurrency !== undefined && { concurrency: data.concurrency }),
          ...(data.timeoutMs !== undefined && { timeoutMs: data.timeoutMs }),
          ...(data.maxRetries !== undefined && { maxRetries: data.maxRetries }),
          updatedAt: sql`now()`,
        })
        .where(eq(modelConnections.id, existing.id))
        .returning();
      const changed = Object.keys(data);
      await recordAudit(tx, {
        projectId,
        actor,
        action: "connection.update",
        objectType: "model_connection",
        objectId: existing.id,
        before: { name: existing.name, baseUrl: existing.baseUrl, apiKey: existing.apiKeyHint },
        after: {
          changed,
          name: row!.name,
          baseUrl: row!.baseUrl,
          apiKey: row!.apiKeyHint,
          ...(given === undefined && key === null && { apiKeyCleared: "the base URL changed" }),
        },
      });
      return connectionSummary(row!);
    });
  } catch (e) {
    conflictOnName(e, data.name);
  }
}

export async function deleteConnection(
  db: Db,
  actor: Actor,
  projectId: string,
  id: string,
): Promise<{ id: string; deleted: true }> {
  authorize(actor, "connection.manage");
  const existing = await findConnection(db, projectId, id);
  await db.transaction(async (tx) => {
    await tx.delete(modelConnections).where(eq(modelConnections.id, existing.id));
    await recordAudit(tx, {
      projectId,
      actor,
      action: "connection.delete",
      objectType: "model_connection",
      objectId: existing.id,
      before: { name: existing.name, provider: existing.provider },
    });
  });
  return { id: existing.id, deleted: true };
}
