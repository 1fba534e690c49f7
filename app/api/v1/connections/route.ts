// POST /api/v1/connections (create a model connection; its key is encrypted and never returned, only a mask) and GET /api/v1/connections (list). Admin key.
import { createConnection, createConnectionInput, listConnections } from "@/lib/llm/connections";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";
import { encryptionKey } from "@/lib/server/wiring/encryption";
import { connectionPolicy } from "@/lib/server/wiring/models";

// 400 naming the field, nothing written.
export const POST = withApiKey(
  "admin",
  { body: createConnectionInput, action: "connection.manage" },
  async ({ db, actor, project, body }) =>
    json(await createConnection(db, actor, project.id, body, encryptionKey(), connectionPolicy()), 201),
);

export const GET = withApiKey("admin", { action: "connection.manage" }, async ({ db, actor, project }) =>
  json({ data: await listConnections(db, actor, project.id) }),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
