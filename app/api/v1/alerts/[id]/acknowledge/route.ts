// POST /api/v1/alerts/{id}/acknowledge: marks an alert as seen (idempotent). Admin key.
import { acknowledgeAlert } from "@/lib/evaluation/online/alerts";
import { otherMethods, withApiKey } from "@/lib/server/http/api";

export const POST = withApiKey("admin", { action: "alert.acknowledge" }, async ({ db, actor, project, params }) => {
  await acknowledgeAlert(db, actor, project.id, params.id!);
  return new Response(null, { status: 204 });
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
