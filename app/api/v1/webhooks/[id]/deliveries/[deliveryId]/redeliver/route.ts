// POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver: send that event again, as a new delivery. Admin key.
import { redeliver } from "@/lib/webhooks";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";
import { queueDelivery } from "@/lib/server/jobs/jobs";

export const POST = withApiKey("admin", { action: "webhook.manage" }, async ({ db, actor, project, params }) =>
  json(await redeliver(db, actor, project.id, params.id!, params.deliveryId!, queueDelivery), 201),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
