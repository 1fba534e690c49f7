// PATCH /api/v1/connections/{id} (change a connection; a new apiKey replaces the stored one) and DELETE /api/v1/connections/{id}. Admin key.
import { deleteConnection, updateConnection, updateConnectionInput } from "@/lib/llm/connections";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";
import { encryptionKey } from "@/lib/server/wiring/encryption";
import { callerResolver, connectionPolicy } from "@/lib/server/wiring/models";

export const PATCH = withApiKey(
  "admin",
  { body: updateConnectionInput, action: "connection.manage" },
  async ({ db, actor, project, params, body }) =>
    json(
      await updateConnection(
        db,
        actor,
        project.id,
        params.id!,
        body,
        encryptionKey(),
        connectionPolicy(),
        callerResolver(),
      ),
    ),
);

export const DELETE = withApiKey("admin", { action: "connection.manage" }, async ({ db, actor, project, params }) =>
  json(await deleteConnection(db, actor, project.id, params.id!, callerResolver())),
);

export const { GET, POST, PUT } = otherMethods("PATCH", "DELETE");
