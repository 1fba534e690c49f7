import { listWebhookDeliveries } from "@/lib/webhooks";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/platform";

export const GET = route(endpoints.listWebhookDeliveries, async ({ domain, params, query }) =>
  json(await listWebhookDeliveries(domain, params.id, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
