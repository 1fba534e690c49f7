// DELETE /api/v1/api-keys/{id}: revoke a key, at once, for every instance.
import { revokeApiKey } from "@/lib/auth/api-keys";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";
import { getEvents } from "@/lib/server/wiring/events";

export const DELETE = withApiKey("admin", { action: "apikey.manage" }, async ({ db, actor, project, params }) =>
  json(await revokeApiKey(db, actor, project.id, params.id!, await getEvents())),
);

export const { GET, POST, PUT, PATCH } = otherMethods("DELETE");
