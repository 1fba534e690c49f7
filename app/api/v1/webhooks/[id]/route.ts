// DELETE /api/v1/webhooks/{id}: delete a webhook; nothing more is sent to it. Admin key.
import { deleteWebhook } from "@/lib/webhooks";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";

export const DELETE = withApiKey("admin", { action: "webhook.manage" }, async ({ db, actor, project, params }) =>
  json(await deleteWebhook(db, actor, project.id, params.id!)),
);

export const { GET, POST, PUT, PATCH } = otherMethods("DELETE");
