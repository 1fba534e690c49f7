// Creating a connection: the key is encrypted at once and never returned, only a mask like "…abcd".
import type { DomainContext } from "../../context";
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { modelConnections } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { AppError } from "../../errors";
import { parseInput } from "../../validation";
import { encryptSecret, maskSecret } from "../secrets";
import { checkBaseUrl, checkScripted, clearDefault, conflictOnName, type ConnectionPolicy } from "./checks";
import { createConnectionInput, MAX_CONNECTIONS_PER_PROJECT } from "./connection-input";
import { connectionSummary, keyContext, type ConnectionSummary } from "./rows";

/** Creates a connection; the answer carries only the key's mask. */
export async function createConnection(
  ctx: DomainContext,
  input: unknown,
  /** null where no key can be given (the demo's built-in scripted connection): a key is then refused. */
  encryptionKey: Uint8Array | null,
  policy: ConnectionPolicy = { allowPrivate: false },
): Promise<ConnectionSummary> {
  const { db, actor, projectId } = ctx;
  const data = parseInput(createConnectionInput, input);
  checkScripted(data.provider, data);
  checkBaseUrl(data.provider, data.baseUrl, policy);
  const id = randomUUID();
  const key = data.apiKey ? data.apiKey.trim() : "";
  if (key && !encryptionKey) throw new Error("createConnection: an API key needs the encryption key to be stored");
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
          apiKey: key && encryptionKey ? encryptSecret(key, encryptionKey, keyContext(id)) : null,
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
