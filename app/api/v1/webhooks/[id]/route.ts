import { deleteWebhook } from "@/lib/webhooks";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/platform";

export const DELETE = route(endpoints.deleteWebhook, async ({ domain, params }) =>
  json(await deleteWebhook(domain, params.id)),
);

export const { GET, POST, PUT, PATCH } = otherMethods("DELETE");
