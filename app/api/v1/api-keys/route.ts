// POST /api/v1/api-keys (create, key shown once) and GET /api/v1/api-keys (list, no secrets). Admin key.
import { createApiKey, createApiKeyInput, listApiKeys } from "@/lib/auth/api-keys";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";

export const POST = withApiKey(
  "admin",
  { body: createApiKeyInput, action: "apikey.manage" },
  async ({ db, actor, project, body }) => json(await createApiKey(db, actor, project.id, body), 201),
);

export const GET = withApiKey("admin", { action: "apikey.manage" }, async ({ db, actor, project }) =>
  json({ data: await listApiKeys(db, actor, project.id) }),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
