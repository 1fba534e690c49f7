// Deleting a connection, with its audit row.
import type { DomainContext } from "../../context";
import { eq } from "drizzle-orm";
import { modelConnections } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { getConnection } from "./lookup";
import type { CachedCallers } from "./rows";

export async function deleteConnection(
  ctx: DomainContext,
  id: string,
  callers?: CachedCallers,
): Promise<{ id: string; deleted: true }> {
  const { db, actor, projectId } = ctx;
  const existing = await getConnection(db, projectId, id);
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
  callers?.invalidate(existing.id);
  return { id: existing.id, deleted: true };
}
