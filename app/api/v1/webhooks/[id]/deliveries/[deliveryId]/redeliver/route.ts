import { redeliverWebhookDelivery } from "@/lib/webhooks";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/platform";
import { queueDelivery } from "@/lib/server/jobs/jobs";

export const POST = route(endpoints.redeliverWebhookDelivery, async ({ domain, params }) =>
  json(await redeliverWebhookDelivery(domain, params.id, params.deliveryId, queueDelivery), 201),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
