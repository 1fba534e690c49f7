// GET /api/v1/webhooks/{id}/deliveries?limit=&before=: the delivery log, newest first. Admin key.
import { listDeliveries, listDeliveriesInput } from "@/lib/webhooks";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";

export const GET = withApiKey(
  "admin",
  { query: listDeliveriesInput, action: "webhook.manage" },
  async ({ db, actor, project, params, query }) => {
    const data = await listDeliveries(db, actor, project.id, params.id!, query);
    return json({ data, next: data.length === query.limit ? data.at(-1)!.createdAt : null });
  },
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
