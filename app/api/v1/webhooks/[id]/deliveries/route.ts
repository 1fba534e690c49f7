// GET /api/v1/webhooks/{id}/deliveries?limit=&before=: the delivery log, newest first. Admin key.
import { deliveryLog, listDeliveriesInput } from "@/lib/webhooks";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";

export const GET = withApiKey(
  "admin",
  { query: listDeliveriesInput, action: "webhook.manage" },
  async ({ db, actor, project, params, query }) => json(await deliveryLog(db, actor, project.id, params.id!, query)),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
