import { createWebhook, listWebhooks } from "@/lib/webhooks";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/platform";
import { webhookConfig } from "@/lib/server/jobs/jobs";

export const POST = route(endpoints.createWebhook, async ({ domain, body }) =>
  json(await createWebhook(domain, body, webhookConfig()), 201),
);

export const GET = route(endpoints.listWebhooks, async ({ domain }) => json({ data: await listWebhooks(domain) }));

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
