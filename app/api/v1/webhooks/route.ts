// POST /api/v1/webhooks (create; the signing secret is shown only in this answer) and GET /api/v1/webhooks (list, no secrets). Admin key.
import { createWebhook, createWebhookInput, listWebhooks } from "@/lib/webhooks";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";
import { webhookConfig } from "@/lib/server/jobs/jobs";

export const POST = withApiKey(
  "admin",
  { body: createWebhookInput, action: "webhook.manage" },
  async ({ db, actor, project, body }) => json(await createWebhook(db, actor, project.id, body, webhookConfig()), 201),
);

export const GET = withApiKey("admin", { action: "webhook.manage" }, async ({ db, actor, project }) =>
  json({ data: await listWebhooks(db, actor, project.id) }),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
