// PATCH /api/v1/connections/{id} (change a connection; a new apiKey replaces the stored one) and DELETE /api/v1/connections/{id}. Admin key.
import { deleteConnection, updateConnection, updateConnectionInput } from "@/lib/llm/connections";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";
import { encryptionKey } from "@/lib/server/wiring/encryption";
import { callerResolver, connectionPolicy } from "@/lib/server/wiring/models";

export const PATCH = withApiKey(
  "admin",
  { body: updateConnectionInput, action: "connection.manage" },
  async ({ db, actor, project, params, body }) => {
    const updated = await updateConnection(
      db,
      actor,
      project.id,
      params.id!,
      body,
      encryptionKey(),
      connectionPolicy(),
    );
    callerResolver().invalidate(updated.id);
    return json(updated);
  },
);

export const DELETE = withApiKey("admin", { action: "connection.manage" }, async ({ db, actor, project, params }) => {
  const deleted = await deleteConnection(db, actor, project.id, params.id!);
  callerResolver().invalidate(deleted.id);
  return json(deleted);
});

export const { GET, POST, PUT } = otherMethods("PATCH", "DELETE");
