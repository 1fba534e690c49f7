// Changing a connection: a new base URL drops the stored key unless a new one comes with it.
import type { DomainContext } from "../../context";
import { eq, sql } from "drizzle-orm";
import { modelConnections } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { parseInput } from "../../validation";
import { encryptSecret, maskSecret } from "../secrets";
import { checkBaseUrl, checkScripted, clearDefault, conflictOnName, type ConnectionPolicy } from "./checks";
import { updateConnectionInput } from "./connection-input";
import { getConnection } from "./lookup";
import { connectionSummary, keyContext, type CachedCallers, type ConnectionSummary } from "./rows";

export async function updateConnection(
  ctx: DomainContext,
  id: string,
  input: unknown,
  encryptionKey: Uint8Array,
  policy: ConnectionPolicy = { allowPrivate: false },
  callers?: CachedCallers,
): Promise<ConnectionSummary> {
  const { db, actor, projectId } = ctx;
  const data = parseInput(updateConnectionInput, input);
  const existing = await getConnection(db, projectId, id);
  checkScripted(existing.provider, data);
  if (data.baseUrl !== undefined) checkBaseUrl(existing.provider, data.baseUrl, policy);
  // The stored key was given for the old endpoint: it does not follow the connection to a new one
  // (anyone who may edit the URL could otherwise send it to a server of theirs). A new URL without a
  // new key clears it, and the admin enters it again.
  const moved = data.baseUrl !== undefined && (data.baseUrl ?? null) !== existing.baseUrl;
  const given = data.apiKey === undefined ? undefined : data.apiKey === null ? null : data.apiKey.trim() || null;
  const key = given === undefined && moved && existing.apiKey ? null : given;
  try {
    const updated = await db.transaction(async (tx) => {
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
    callers?.invalidate(updated.id);
    return updated;
  } catch (e) {
    conflictOnName(e, data.name);
  }
}
