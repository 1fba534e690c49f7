import { createWebhook, listWebhooks } from "@/lib/webhooks";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/platform";
import { webhookConfig } from "@/lib/server/jobs/jobs";

export const POST = route(endpoints.createWebhook, async ({ db, actor, project, body }) =>
  json(await createWebhook(db, actor, project.id, body, webhookConfig()), 201),
);

export const GET = route(endpoints.listWebhooks, async ({ db, actor, project }) =>
  json({ data: await listWebhooks(db, actor, project.id) }),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
