import { deleteWebhook } from "@/lib/webhooks";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/platform";

export const DELETE = route(endpoints.deleteWebhook, async ({ db, actor, project, params }) =>
  json(await deleteWebhook(db, actor, project.id, params.id)),
);

export const { GET, POST, PUT, PATCH } = otherMethods("DELETE");
